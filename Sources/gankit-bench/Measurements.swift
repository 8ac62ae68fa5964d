import Foundation
import GANKit

enum Measurements {
    /// Median milliseconds per call of `body` over `repeats` blocks of `iterations` calls, after a
    /// warm-up (as the PyTorch reference measures).
    static func millisecondsPerIteration(iterations: Int, repeats: Int, _ body: () -> Void) -> Double {
        for _ in 0..<max(3, iterations / 10) { body() }
        var times: [Double] = []
        for _ in 0..<repeats {
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<iterations { body() }
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6 / Double(iterations))
        }
        return times.sorted()[times.count / 2]
    }

    /// GEMM floating-point operations issued by one call of `body`.
    static func flops(_ body: () -> Void) -> Int {
        BLAS.flopCount.store(0, ordering: .relaxed)
        BLAS.isCountingFlops = true
        body()
        BLAS.isCountingFlops = false
        return BLAS.flopCount.load(ordering: .relaxed)
    }

    /// The machine's single-precision GEMM rate (GFLOP/s) at `threads` on square 1024 matrices.
    static func gemmPeak(threads: Int) -> Double {
        BLAS.setThreads(threads)
        var rng = RandomStream(seed: 1)
        let n = 1024
        let a = Tensor.normal([n, n], using: &rng), b = Tensor.normal([n, n], using: &rng)
        let ms = millisecondsPerIteration(iterations: 5, repeats: 5) { _ = Tensor.matmul(a, b) }
        return 2 * Double(n * n * n) / (ms * 1e6)
    }

    /// OpenBLAS's kernel family, and whether the environment forced it rather than OpenBLAS's own
    /// CPU detection: the same machine's GEMM peak differs by ~2× between AVX2 and AVX-512 kernels.
    static var blasCoreDescription: String {
        let forced = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"].map { ", forced by OPENBLAS_CORETYPE=\($0)" } ?? ""
        return "OpenBLAS core \(BLAS.coreName)\(forced)"
    }

    /// Peak resident memory of this process so far (VmHWM), in MiB.
    static func peakResidentMiB() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kb = Double(line.split(separator: " ").dropFirst().first ?? "") else { return .nan }
        return kb / 1024
    }
}

/// Runs the PyTorch reference script at the same settings and reads its milliseconds per iteration.
struct TorchReference {
    let script: String

    func milliseconds(case name: String, threads: Int, batch: Int, iterations: Int, repeats: Int, pairs: Int) -> Double? {
        guard FileManager.default.fileExists(atPath: script) else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, "--case", name, "--threads", "\(threads)", "--batch", "\(batch)",
                             "--iters", "\(iterations)", "--repeats", "\(repeats)", "--pairs", "\(pairs)"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0,
              let field = output.split(separator: " ").first(where: { $0.hasPrefix("ms_per_iter=") }) else { return nil }
        return Double(field.dropFirst("ms_per_iter=".count))
    }
}
