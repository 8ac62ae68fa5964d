import Foundation
import GANKit

/// The cost of one SGAN iteration against one standard iteration, serial and parallel, beside
/// PyTorch's toy-sgan reference; and serial SGAN against the sum of its players' work.
struct SGANScaling {
    let bench: GANKitBench

    func run() throws {
        let torch = bench.noTorch ? nil : TorchReference(script: bench.torchScript)
        let b = 64, iters = max(5, bench.iterations / 5), repeats = bench.repeats
        // The players' work in isolation, at one thread.
        let standard = try BenchmarkCase.toyGAN.makeTrainer(batch: b, threads: 1, pairs: 1)
        let standardMs = Measurements.millisecondsPerIteration(iterations: iters, repeats: repeats) { standard.step() }
        let pair = standard.pairs[0]
        let rules = GameRules(objective: standard.configuration.objective)
        var rng = RandomStream(seed: 3)
        let real = Tensor.normal([b, 2], using: &rng), z = Tensor.normal([b, 100], using: &rng)
        let critic = Player(network: pair.discriminator.network.copy(), optimizer: pair.discriminator.optimizer)
        let dStepMs = Measurements.millisecondsPerIteration(iterations: iters, repeats: repeats) {
            let fake = pair.generator.network(z)
            rules.discriminatorStep(critic, real: real, fake: fake, penaltyStream: &rng)
        }
        let gGradMs = Measurements.millisecondsPerIteration(iterations: iters, repeats: repeats) {
            _ = rules.generatorGradients(pair.generator.network, against: critic.network, noise: z)
        }
        print(String(format: "standard iteration %.3f ms; one D step %.3f ms; one G gradient %.3f ms (1 thread, batch %d; %@)", standardMs, dStepMs, gGradMs, b, Measurements.blasCoreDescription as NSString))
        print(TorchTiming.legend)
        print("N   serial ms  ×standard  parallel(2) ms  ×standard  speed-up  serial/players'-work  torch 1t ms  torch 2t ms  vs torch 1t  vs torch 2t  vs native 1t    vs native 2t")
        for n in [1, 2, 5, 10] {
            let serial = try BenchmarkCase.toySGAN.makeTrainer(batch: b, threads: 1, pairs: n)
            let serialMs = Measurements.millisecondsPerIteration(iterations: iters, repeats: repeats) { serial.step() }
            let parallel = try BenchmarkCase.toySGAN.makeTrainer(batch: b, threads: 2, pairs: n)
            let parallelMs = Measurements.millisecondsPerIteration(iterations: iters, repeats: repeats) { parallel.step() }
            // Each of N: a local iteration, a messenger's D step, G0's gradient (plus its share of
            // the update) and D0's gradient (about a D step).
            let work = Double(n) * (standardMs + dStepMs + gGradMs + dStepMs)
            let t1 = TorchTiming(torch, case: "toy-sgan", threads: 1, batch: b, iterations: iters, repeats: repeats, pairs: n)
            let t2 = TorchTiming(torch, case: "toy-sgan", threads: 2, batch: b, iterations: iters, repeats: repeats, pairs: n)
            func f(_ x: Double?) -> String { x.map { String(format: "%.2f", $0) } ?? "n/a" }
            func j(_ x: Double?) -> String { x.map { String(format: "%.3f", $0) } ?? "null" }
            func ratio(_ x: Double?, _ ms: Double) -> String { x.map { String(format: "%.2f×", $0 / ms) } ?? "n/a" }
            func pad(_ s: String, _ n: Int) -> String { s.padding(toLength: n, withPad: " ", startingAt: 0) }
            print(String(format: "%-3d %9.2f %9.2f× %14.2f %9.2f× %8.2f× %20.3f", n, serialMs, serialMs / standardMs, parallelMs, parallelMs / standardMs,
                         serialMs / parallelMs, serialMs / work)
                  + "  \(pad(f(t1.matched), 11))  \(pad(f(t2.matched), 11))  \(pad(ratio(t1.matched, serialMs), 11))  \(pad(ratio(t2.matched, parallelMs), 11))"
                  + "  \(pad(ratio(t1.native, serialMs), 14))  \(ratio(t2.native, parallelMs))")
            if bench.json {
                print("{\"case\": \"toy-sgan\", \"pairs\": \(n), \"batch\": \(b), \"serial_ms\": \(String(format: "%.3f", serialMs)), \"parallel2_ms\": \(String(format: "%.3f", parallelMs)), \"standard_ms\": \(String(format: "%.3f", standardMs)), \"players_work_ms\": \(String(format: "%.3f", work)), \"torch_1t_ms\": \(j(t1.matched)), \"torch_2t_ms\": \(j(t2.matched)), \"torch_native_1t_ms\": \(j(t1.native)), \"torch_native_2t_ms\": \(j(t2.native)), \"torch_isa\": \"\(t1.isa.rawValue)\", \"blas_core\": \"\(BLAS.coreName)\"}")
            }
            fflush(nil)
        }
    }
}
