import Foundation
import GANKitData
import GANKitTensor

/// Modes covered and high-quality samples on a Gaussian mixture (VEEGAN §5.1, PacGAN §5).
///
/// Each sample is attributed to its nearest mode mean; it is *high quality* if it lies within
/// `stdMultiple` (3) standard deviations of that mean. A mode is *covered* when it receives at least
/// `threshold` high-quality samples (1 by default; VEEGAN and PacGAN draw 2,500 samples). The
/// distribution of high-quality samples over modes is compared with the uniform one by
/// KL(q ‖ uniform) = Σₖ qₖ log(M qₖ): 0 when every mode gets the same share, log M when one
/// mode gets them all.
///
/// Every sample, high quality or not, also lies in the *basin* of its nearest mode: where a
/// generator's samples head before they reach the data (`basinCounts`, `meanDistanceToNearestMode`).
public struct ModeCoverage: Sendable, Equatable, Codable {
    /// The number of modes with at least `threshold` high-quality samples.
    public let modesCovered: Int
    /// M, the number of modes of the mixture.
    public let modeCount: Int
    /// The fraction of samples that are high quality, in [0, 1].
    public let highQualityFraction: Double
    /// High-quality samples per mode.
    public let highQualityCounts: [Int]
    /// KL(q ‖ uniform) in nats; nil when no sample is high quality (q is undefined).
    public let klToUniform: Double?
    /// The coverage threshold used (reports must state it).
    public let threshold: Int
    /// The radius of "high quality", in standard deviations.
    public let stdMultiple: Double
    /// Samples per mode attributed to their nearest mode at any distance (nil when built from
    /// counts alone).
    public let basinCounts: [Int]?
    /// The mean Euclidean distance of a sample to its nearest mode's mean (nil when built from
    /// counts alone).
    public let meanDistanceToNearestMode: Double?

    /// The strict threshold of the reproduction pages: a mode is covered only when at least 1% of
    /// the `samples` (rounded up) land on it, so a handful of stray points no longer counts.
    public static func strictThreshold(samples: Int) -> Int { max(1, (samples + 99) / 100) }

    public init(samples: Tensor, mixture: GaussianMixture, threshold: Int = 1, stdMultiple: Double = 3) throws {
        guard samples.rank == 2, samples.shape[1] == 2, samples.shape[0] >= 1 else {
            throw MetricError.badShape(input: "samples", shape: samples.shape, expected: "[n ≥ 1, 2]")
        }
        guard threshold >= 1 else { throw MetricError.invalidOption(name: "threshold", value: "\(threshold)", allowed: "≥ 1") }
        guard stdMultiple > 0 else { throw MetricError.invalidOption(name: "stdMultiple", value: "\(stdMultiple)", allowed: "> 0") }
        let n = samples.shape[0], means = mixture.means, stds = mixture.stds
        var counts = [Int](repeating: 0, count: means.count), basins = counts
        var good = 0, distance = 0.0
        samples.withUnsafeBufferPointer { p in
            for i in 0..<n {
                let x = SIMD2(Double(p[2 * i]), Double(p[2 * i + 1]))
                var nearest = 0, best = Double.infinity
                for k in 0..<means.count {
                    let d = x - means[k]
                    let s = (d * d).sum()
                    if s < best { best = s; nearest = k }
                }
                basins[nearest] += 1
                distance += best.squareRoot()
                let radius = stdMultiple * stds[nearest]
                if best <= radius * radius { counts[nearest] += 1; good += 1 }
            }
        }
        modeCount = means.count
        highQualityCounts = counts
        basinCounts = basins
        meanDistanceToNearestMode = distance / Double(n)
        modesCovered = counts.filter { $0 >= threshold }.count
        highQualityFraction = Double(good) / Double(n)
        if good > 0 {
            let m = Double(means.count)
            klToUniform = counts.reduce(0.0) { acc, c in
                guard c > 0 else { return acc }
                let q = Double(c) / Double(good)
                return acc + q * log(q * m)
            }
        } else {
            klToUniform = nil
        }
        self.threshold = threshold
        self.stdMultiple = stdMultiple
    }

    /// The same samples judged with another threshold (the attribution does not change).
    public func withThreshold(_ threshold: Int) throws -> ModeCoverage {
        guard threshold >= 1 else { throw MetricError.invalidOption(name: "threshold", value: "\(threshold)", allowed: "≥ 1") }
        return ModeCoverage(counts: highQualityCounts, highQualityFraction: highQualityFraction, klToUniform: klToUniform,
                            threshold: threshold, stdMultiple: stdMultiple, basinCounts: basinCounts,
                            meanDistanceToNearestMode: meanDistanceToNearestMode)
    }

    /// A coverage from high-quality counts per mode already made (a log read back, an ensemble).
    public init(counts: [Int], threshold: Int, stdMultiple: Double = 3) throws {
        guard !counts.isEmpty, counts.allSatisfy({ $0 >= 0 }) else {
            throw MetricError.invalidOption(name: "counts", value: "\(counts)", allowed: "one count ≥ 0 per mode")
        }
        guard threshold >= 1 else { throw MetricError.invalidOption(name: "threshold", value: "\(threshold)", allowed: "≥ 1") }
        self.init(counts: counts, highQualityFraction: .nan, klToUniform: nil, threshold: threshold, stdMultiple: stdMultiple,
                  basinCounts: nil, meanDistanceToNearestMode: nil)
    }

    /// The entropy of the samples' spread over the modes' basins, divided by log M: 1 when every
    /// basin holds as many samples, 0 when one holds them all. Unlike the coverage it sees where
    /// samples are headed while they are still far from every mode.
    public var basinEntropy: Double? {
        guard let basins = basinCounts, basins.count > 1 else { return nil }
        let total = Double(basins.reduce(0, +))
        guard total > 0 else { return nil }
        let entropy = basins.reduce(0.0) { acc, c in c == 0 ? acc : acc - Double(c) / total * log(Double(c) / total) }
        return entropy / log(Double(basins.count))
    }

    private init(counts: [Int], highQualityFraction: Double, klToUniform: Double?, threshold: Int, stdMultiple: Double,
                 basinCounts: [Int]?, meanDistanceToNearestMode: Double?) {
        self.basinCounts = basinCounts
        self.meanDistanceToNearestMode = meanDistanceToNearestMode
        modeCount = counts.count
        highQualityCounts = counts
        modesCovered = counts.filter { $0 >= threshold }.count
        self.highQualityFraction = highQualityFraction
        self.klToUniform = klToUniform
        self.threshold = threshold
        self.stdMultiple = stdMultiple
    }
}
