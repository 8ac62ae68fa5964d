import ArgumentParser
import Foundation
import GANKit

/// Times GANKit's training iterations against the PyTorch reference, measured in the same run at
/// the same thread count.
@main
struct GANKitBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gankit-bench",
        abstract: "Time GANKit's training iterations against the PyTorch reference (../shared/bench).")

    @Option(help: "Cases to run (comma-separated): \(BenchmarkCase.allCases.map(\.rawValue).joined(separator: ", ")).")
    var `case`: String = "toy-gan,toy-wgan-gp,dcgan28"

    @Option(help: "Thread counts (comma-separated).")
    var threads: String = "1,2"

    @Option(help: "Batch sizes for toy-gan (default 64,256) and inception (default 50), comma-separated; other cases use 64.")
    var batch: String?

    @Option(help: "Iterations per timed block.")
    var iterations: Int = 50

    @Option(help: "Timed blocks (the median is reported).")
    var repeats: Int = 5

    @Option(help: "Local pairs for toy-sgan.")
    var pairs: Int = 5

    @Option(help: "The PyTorch reference script.")
    var torchScript: String = "../shared/bench/torch_gan_bench.py"

    @Flag(help: "Print one JSON object per line.")
    var json = false

    @Flag(help: "Skip the PyTorch reference.")
    var noTorch = false

    @Flag(help: "Print peak resident memory after 100 and after 1,000 iterations of each case.")
    var memory = false

    @Flag(help: "Time the image loader (20,000 memory-mapped 3×64×64 images, batches of 64) against a dcgan64 iteration.")
    var loader = false
    @Flag(help: "Time the metrics on many samples (10,000 × 10,000 MMD², mode coverage, coverage C) instead.")
    var metrics = false

    @Flag(help: "SGAN scaling: one iteration for N = 1, 2, 5, 10, serial and parallel, relative to a standard one.")
    var sganScaling = false

    @Flag(help: "Under mpirun -np K: Open MPI's latency and bandwidth between ranks 0 and 1, then SGAN over the K ranks (the first --case; toy-sgan by default) for each N of --sgan-pairs: iteration time, and the bytes and time rank 0 spends communicating.")
    var mpi = false

    @Option(help: "Pair counts N for --sgan-scaling and --mpi (comma-separated).")
    var sganPairs: String = "1,2,5,10"

    @Option(help: "Rounds of GANKit then PyTorch for each training case (not inception) and for --sgan-scaling, each round's ratio taken in turn (the median and range are reported), so that a drift of the machine's speed during the run moves both sides.")
    var rounds: Int = 1

    func validate() throws {
        for name in `case`.split(separator: ",") where BenchmarkCase(rawValue: String(name)) == nil {
            throw ValidationError("unknown case '\(name)'; cases: \(BenchmarkCase.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if threadCounts.isEmpty || threadCounts.contains(where: { $0 < 1 }) { throw ValidationError("--threads needs positive counts") }
        if iterations < 1 || repeats < 1 || rounds < 1 { throw ValidationError("--iterations, --repeats and --rounds must be positive") }
        if sganPairCounts.isEmpty || sganPairCounts.contains(where: { $0 < 1 }) { throw ValidationError("--sgan-pairs needs positive counts") }
    }

    var threadCounts: [Int] { threads.split(separator: ",").compactMap { Int($0) } }
    var sganPairCounts: [Int] { sganPairs.split(separator: ",").compactMap { Int($0) } }

    func run() throws {
        if mpi { try MPIScaling(bench: self).run(); return }
        if sganScaling { try SGANScaling(bench: self).run(); return }
        if metrics { try MetricsBenchmark.run(threads: threadCounts, json: json); return }
        if loader { try LoaderBenchmark.run(json: json); return }
        let torch = noTorch ? nil : TorchReference(script: torchScript)
        if !json {
            print(TorchTiming.legend)
            print("case          threads batch  gankit ms   torch ms   ratio  native ms  ratio   GFLOP/s  of peak")
        }
        for t in threadCounts {
            let peak = Measurements.gemmPeak(threads: t)
            if !json { print("GEMM peak at \(t) thread(s): \(String(format: "%.1f", peak)) GFLOP/s (sgemm 1024³, \(Measurements.blasCoreDescription))") }
            for name in `case`.split(separator: ",") {
                let benchCase = BenchmarkCase(rawValue: String(name))!
                if benchCase == .inception {
                    let inception = try InceptionBenchmark()
                    for b in (batch ?? "50").split(separator: ",").compactMap({ Int($0) }) {
                        inception.measure(threads: t, batch: b, repeats: repeats, peak: peak, torch: torch, json: json)
                    }
                    continue
                }
                let batches = benchCase == .toyGAN ? (batch ?? "64,256").split(separator: ",").compactMap { Int($0) } : [64]
                for b in batches {
                    try measure(benchCase, threads: t, batch: b, peak: peak, torch: torch)
                }
            }
        }
    }

    private func measure(_ benchCase: BenchmarkCase, threads t: Int, batch b: Int, peak: Double, torch reference: TorchReference?) throws {
        let trainer = try benchCase.makeTrainer(batch: b, threads: t, pairs: pairs)
        // Iterations of a second or more (text-wgan) need few repetitions to time.
        let iters = benchCase == .textWGAN ? max(1, iterations / 50) : benchCase == .dcgan28 ? max(1, iterations / 10) : iterations
        var ratios: [Double] = [], nativeRatios: [Double] = []
        for round in 1...rounds {
            let ms = Measurements.millisecondsPerIteration(iterations: iters, repeats: repeats) { trainer.step() }
            let flops = Measurements.flops { trainer.step() }
            let gflops = Double(flops) / (ms * 1e6)
            let torch = TorchTiming(reference, case: benchCase.rawValue, threads: t, batch: b, iterations: iters, repeats: repeats, pairs: pairs)
            let ratio = torch.matched.map { $0 / ms }, nativeRatio = torch.native.map { $0 / ms }
            if let ratio { ratios.append(ratio) }
            if let nativeRatio { nativeRatios.append(nativeRatio) }
            printRow(benchCase, threads: t, batch: b, round: rounds > 1 ? round : nil, ms: ms, torch: torch, ratio: ratio,
                     nativeRatio: nativeRatio, gflops: gflops, peak: peak)
        }
        if rounds > 1, !json, let median = Measurements.median(ratios) {
            let native = Measurements.median(nativeRatios).map {
                String(format: "; native %.2f× [%.2f–%.2f]", $0, nativeRatios.min()!, nativeRatios.max()!)
            } ?? ""
            print("  " + benchCase.rawValue + String(format: " over %d rounds: %.2f× [%.2f–%.2f]", rounds, median, ratios.min()!, ratios.max()!) + native)
        }
        if memory {
            for _ in 0..<100 { trainer.step() }
            let after100 = Measurements.peakResidentMiB()
            for _ in 0..<900 { trainer.step() }
            let after1000 = Measurements.peakResidentMiB()
            let line = json
                ? "{\"case\": \"\(benchCase.rawValue)\", \"threads\": \(t), \"batch\": \(b), \"peak_rss_mib_100\": \(String(format: "%.1f", after100)), \"peak_rss_mib_1000\": \(String(format: "%.1f", after1000))}"
                : String(format: "  peak resident memory: %.1f MiB after 100 iterations, %.1f MiB after 1,000 (%+.1f%%)", after100, after1000,
                         100 * (after1000 - after100) / after100)
            print(line)
        }
        fflush(nil)
    }

    private func printRow(_ benchCase: BenchmarkCase, threads t: Int, batch b: Int, round: Int?, ms: Double, torch: TorchTiming,
                          ratio: Double?, nativeRatio: Double?, gflops: Double, peak: Double) {
        func number(_ x: Double?) -> String { x.map { String(format: "%.3f", $0) } ?? "null" }
        if json {
            var fields: [String] = [
                "\"case\": \"\(benchCase.rawValue)\"", "\"threads\": \(t)", "\"batch\": \(b)",
                "\"gankit_ms\": \(number(ms))", "\"torch_ms\": \(number(torch.matched))", "\"ratio\": \(number(ratio))",
                "\"torch_isa\": \"\(torch.isa.rawValue)\"",
                "\"torch_native_ms\": \(number(torch.native))", "\"ratio_native\": \(number(nativeRatio))",
                "\"gemm_gflops\": \(String(format: "%.2f", gflops))", "\"gemm_peak_gflops\": \(String(format: "%.2f", peak))",
                "\"blas_core\": \"\(BLAS.coreName)\"",
            ]
            if benchCase == .toySGAN { fields.append("\"pairs\": \(pairs)") }
            if let round { fields.append("\"round\": \(round)") }
            print("{" + fields.joined(separator: ", ") + "}")
        } else {
            // Right-aligned cells; Foundation on Linux ignores widths on %@.
            func cell(_ x: Double?, _ format: String, _ width: Int) -> String {
                let text = x.map { String(format: format, $0) } ?? "n/a"
                return String(repeating: " ", count: max(0, width - text.count)) + text
            }
            print(benchCase.rawValue.padding(toLength: 13, withPad: " ", startingAt: 0) + String(format: " %7d %5d %10.3f", t, b, ms)
                  + cell(torch.matched, "%.3f", 11) + cell(ratio, "%.2f×", 8) + cell(torch.native, "%.3f", 11) + cell(nativeRatio, "%.2f×", 7)
                  + String(format: " %9.1f %7.0f%%", gflops, 100 * gflops / peak))
        }
        fflush(nil)
    }
}
