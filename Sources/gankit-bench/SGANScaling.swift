import Foundation
import GANKit

/// The cost of one SGAN iteration against one standard iteration, serial and parallel, beside
/// PyTorch's toy-sgan reference; and serial SGAN against the sum of its players' work.
struct SGANScaling {
    let bench: GANKitBench

    func run() throws {
        let torch = bench.noTorch ? nil : TorchReference(script: bench.torchScript)
        let b = 64, iters = max(5, bench.iterations / 5), repeats = bench.repeats, rounds = bench.rounds
        func time(_ body: () -> Void) -> Double { Measurements.millisecondsPerIteration(iterations: iters, repeats: repeats, body) }
        // The players' work in isolation, at one thread.
        let standard = try BenchmarkCase.toyGAN.makeTrainer(batch: b, threads: 1, pairs: 1)
        let standardMs = time { standard.step() }
        let pair = standard.pairs[0]
        let rules = GameRules(objective: standard.configuration.objective)
        var rng = RandomStream(seed: 3)
        let real = Tensor.normal([b, 2], using: &rng), z = Tensor.normal([b, 100], using: &rng)
        let critic = Player(network: pair.discriminator.network.copy(), optimizer: pair.discriminator.optimizer)
        let dStepMs = time {
            let fake = pair.generator.network(z)
            rules.discriminatorStep(critic, real: real, fake: fake, penaltyStream: &rng)
        }
        let gGradMs = time { _ = rules.generatorGradients(pair.generator.network, against: critic.network, noise: z) }
        print(String(format: "standard iteration %.3f ms; one D step %.3f ms; one G gradient %.3f ms (1 thread, batch %d; %@)", standardMs, dStepMs, gGradMs, b, Measurements.blasCoreDescription as NSString))
        print(TorchTiming.legend)
        if rounds > 1 {
            print("Each row: the median of \(rounds) rounds (GANKit serial, parallel, then PyTorch at 1 and 2 threads); ratios are per round, median [lowest–highest].")
        }
        print("N   serial ms  ×standard  parallel(2) ms  ×standard  speed-up  serial/players'-work  torch 1t ms  torch 2t ms  vs torch 1t            vs torch 2t            vs native 1t  vs native 2t")
        for n in bench.sganPairCounts {
            let serial = try BenchmarkCase.toySGAN.makeTrainer(batch: b, threads: 1, pairs: n)
            let parallel = try BenchmarkCase.toySGAN.makeTrainer(batch: b, threads: 2, pairs: n)
            let isa = VectorISA.openBLAS
            func torchMs(threads: Int, cap: VectorISA?) -> Double? {
                torch?.milliseconds(case: "toy-sgan", threads: threads, batch: b, iterations: iters, repeats: repeats, pairs: n, cappedAt: cap)
            }
            var serialMs: [Double] = [], parallelMs: [Double] = [], torch1: [Double] = [], torch2: [Double] = []
            for _ in 0..<rounds {
                serialMs.append(time { serial.step() })
                parallelMs.append(time { parallel.step() })
                if let t = torchMs(threads: 1, cap: isa) { torch1.append(t) }
                if let t = torchMs(threads: 2, cap: isa) { torch2.append(t) }
            }
            // Uncapped PyTorch once per N; with AVX-512 kernels the capped runs already are.
            let native1 = isa == .avx512 ? Measurements.median(torch1) : torchMs(threads: 1, cap: nil)
            let native2 = isa == .avx512 ? Measurements.median(torch2) : torchMs(threads: 2, cap: nil)
            let ratios1 = zip(torch1, serialMs).map { $0 / $1 }, ratios2 = zip(torch2, parallelMs).map { $0 / $1 }
            let (s, p) = (Measurements.median(serialMs)!, Measurements.median(parallelMs)!)  // rounds ≥ 1
            // Each of N: a local iteration, a messenger's D step, G0's gradient (plus its share of
            // the update) and D0's gradient (about a D step).
            let work = Double(n) * (standardMs + dStepMs + gGradMs + dStepMs)
            func f(_ x: Double?) -> String { x.map { String(format: "%.2f", $0) } ?? "n/a" }
            func j(_ x: Double?) -> String { x.map { String(format: "%.3f", $0) } ?? "null" }
            func pad(_ s: String, _ n: Int) -> String { s.padding(toLength: n, withPad: " ", startingAt: 0) }
            func spread(_ r: [Double]) -> String {
                guard let m = Measurements.median(r) else { return "n/a" }
                return rounds > 1 ? String(format: "%.2f× [%.2f–%.2f]", m, r.min()!, r.max()!) : String(format: "%.2f×", m)
            }
            func ratio(_ x: Double?, _ ms: Double) -> String { x.map { String(format: "%.2f×", $0 / ms) } ?? "n/a" }
            print(String(format: "%-3d %9.2f %9.2f× %14.2f %9.2f× %8.2f× %20.3f", n, s, s / standardMs, p, p / standardMs, s / p, s / work)
                  + "  \(pad(f(Measurements.median(torch1)), 11))  \(pad(f(Measurements.median(torch2)), 11))  \(pad(spread(ratios1), 21))  \(pad(spread(ratios2), 21))"
                  + "  \(pad(ratio(native1, s), 12))  \(ratio(native2, p))")
            if bench.json {
                func list(_ x: [Double]) -> String { "[" + x.map { String(format: "%.3f", $0) }.joined(separator: ", ") + "]" }
                print("{\"case\": \"toy-sgan\", \"pairs\": \(n), \"batch\": \(b), \"rounds\": \(rounds), \"serial_ms\": \(list(serialMs)), \"parallel2_ms\": \(list(parallelMs)), \"standard_ms\": \(String(format: "%.3f", standardMs)), \"players_work_ms\": \(String(format: "%.3f", work)), \"torch_1t_ms\": \(list(torch1)), \"torch_2t_ms\": \(list(torch2)), \"ratio_1t\": \(list(ratios1)), \"ratio_2t\": \(list(ratios2)), \"torch_native_1t_ms\": \(j(native1)), \"torch_native_2t_ms\": \(j(native2)), \"torch_isa\": \"\(isa.rawValue)\", \"blas_core\": \"\(BLAS.coreName)\"}")
            }
            fflush(nil)
        }
    }
}
