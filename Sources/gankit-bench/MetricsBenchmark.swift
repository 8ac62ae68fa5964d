import Foundation
import GANKit

/// Metrics on many samples: pairwise work goes through GEMM, so 10,000 × 10,000 takes seconds.
enum MetricsBenchmark {
    static func run(threads: [Int], json: Bool) throws {
        var rng = RandomStream(seed: 1)
        let mixture = GaussianMixture.ring8
        let real = mixture.sample(count: 10_000, using: &rng), generated = mixture.sample(count: 10_000, using: &rng)
        for t in threads {
            BLAS.setThreads(t)
            func time(_ label: String, _ body: () throws -> Void) rethrows {
                let start = DispatchTime.now().uptimeNanoseconds
                try body()
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                print(json ? "{\"metric\": \"\(label)\", \"threads\": \(t), \"samples\": 10000, \"seconds\": \(String(format: "%.3f", seconds))}"
                           : String(format: "%-36@ %d thread(s): %.3f s", label as NSString, t, seconds))
            }
            try time("mmd2 (σ = 1), 10k × 10k, d = 2") { _ = try MMD.squared(real, generated, bandwidth: 1) }
            try time("mmd2 (σ = 0.5, 1, 2), 10k × 10k") { _ = try MMD.squared(real, generated, bandwidths: [0.5, 1, 2]) }
            try time("mode coverage, 10k samples") { _ = try ModeCoverage(samples: generated, mixture: mixture) }
            try time("coverage C (KDE), 10k × 10k") { _ = try AdaGANCoverage.compute(real: real, generated: generated) }
        }
    }
}
