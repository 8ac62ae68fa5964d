import Foundation
import GANKit

/// The `inception` case: feature extraction with the FID Inception network (random weights of the
/// right shapes), a forward pass on a batch of random 32×32 RGB images in [0, 1] that the network
/// resizes to 299×299, as the `inception` case of `../shared/bench/torch_gan_bench.py` runs
/// pytorch-fid's network. One pass takes seconds, so each timed block is one pass after one
/// warm-up pass, as the reference times its heavy cases.
struct InceptionBenchmark {
    let network: InceptionNetwork

    init() throws {
        network = try InceptionNetwork(weights: .random(seed: 0))
    }

    func measure(threads t: Int, batch b: Int, repeats: Int, peak: Double, torch reference: TorchReference?, json: Bool) {
        var rng = RandomStream(seed: 0)
        let images = Tensor.uniform([b, 3, 32, 32], using: &rng)
        BLAS.setThreads(t)
        let pass = { _ = try! network.features(of: images, range: .unit, batchSize: b, threads: t) }
        pass()
        var times: [Double] = []
        for _ in 0..<repeats {
            let start = DispatchTime.now().uptimeNanoseconds
            pass()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        let ms = Measurements.median(times)!
        let gflops = Double(Measurements.flops(pass)) / (ms * 1e6)
        let torch = TorchTiming(reference, case: "inception", threads: t, batch: b, iterations: 1, repeats: repeats, pairs: 1)
        let ratio = torch.matched.map { $0 / ms }, nativeRatio = torch.native.map { $0 / ms }
        func number(_ x: Double?) -> String { x.map { String(format: "%.3f", $0) } ?? "null" }
        if json {
            print("{\"case\": \"inception\", \"threads\": \(t), \"batch\": \(b), \"gankit_ms\": \(number(ms)), \"torch_ms\": \(number(torch.matched)), "
                  + "\"ratio\": \(number(ratio)), \"torch_isa\": \"\(torch.isa.rawValue)\", \"torch_native_ms\": \(number(torch.native)), "
                  + "\"ratio_native\": \(number(nativeRatio)), \"gemm_gflops\": \(String(format: "%.2f", gflops)), "
                  + "\"gemm_peak_gflops\": \(String(format: "%.2f", peak)), \"blas_core\": \"\(BLAS.coreName)\", "
                  + "\"images_per_s\": \(String(format: "%.2f", Double(b) * 1000 / ms))}")
        } else {
            func cell(_ x: Double?, _ format: String, _ width: Int) -> String {
                let text = x.map { String(format: format, $0) } ?? "n/a"
                return String(repeating: " ", count: max(0, width - text.count)) + text
            }
            print("inception".padding(toLength: 13, withPad: " ", startingAt: 0) + String(format: " %7d %5d %10.3f", t, b, ms)
                  + cell(torch.matched, "%.3f", 11) + cell(ratio, "%.2f×", 8) + cell(torch.native, "%.3f", 11) + cell(nativeRatio, "%.2f×", 7)
                  + String(format: " %9.1f %7.0f%%", gflops, 100 * gflops / peak))
        }
        fflush(nil)
    }
}
