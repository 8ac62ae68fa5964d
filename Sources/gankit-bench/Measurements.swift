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
        return median(times)!
    }

    /// The middle value (the mean of the two middle ones of an even count, so that two rounds do
    /// not report their better one); nil for no values.
    static func median(_ values: [Double]) -> Double? {
        if values.isEmpty { return nil }
        let sorted = values.sorted(), half = values.count / 2
        return values.count % 2 == 1 ? sorted[half] : (sorted[half - 1] + sorted[half]) / 2
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

/// The widest x86 vector instruction set a kernel family uses: what a fair comparison holds equal.
enum VectorISA: String {
    case avx512 = "AVX-512", avx2 = "AVX2", avx = "AVX", sse = "SSE"

    /// The instruction set of OpenBLAS's kernel family `core` (its `openblas_get_corename`).
    init(openBLASCore core: String) {
        switch core.lowercased() {
        case "skylakex", "cooperlake", "sapphirerapids": self = .avx512
        case "haswell", "zen", "excavator", "steamroller", "piledriver": self = .avx2
        case "sandybridge", "bulldozer": self = .avx
        default: self = .sse
        }
    }

    /// Environment that caps PyTorch's own kernels (ATen), MKL's and oneDNN's at this instruction
    /// set; empty for AVX-512, the widest any of them uses for Float32 on x86.
    var torchEnvironment: [String: String] {
        switch self {
        case .avx512: [:]
        case .avx2: ["ATEN_CPU_CAPABILITY": "avx2", "MKL_ENABLE_INSTRUCTIONS": "AVX2", "ONEDNN_MAX_CPU_ISA": "AVX2"]
        case .avx: ["ATEN_CPU_CAPABILITY": "default", "MKL_ENABLE_INSTRUCTIONS": "AVX", "ONEDNN_MAX_CPU_ISA": "SSE41"]
        case .sse: ["ATEN_CPU_CAPABILITY": "default", "MKL_ENABLE_INSTRUCTIONS": "SSE4_2", "ONEDNN_MAX_CPU_ISA": "SSE41"]
        }
    }

    /// The instruction set of the OpenBLAS kernels this process loaded.
    static var openBLAS: VectorISA { VectorISA(openBLASCore: BLAS.coreName) }
}

/// Runs the PyTorch reference script at the same settings and reads its milliseconds per iteration.
///
/// PyTorch picks its kernels by CPU detection and would run AVX-512 on a machine where OpenBLAS was
/// told to use AVX2 kernels (`OPENBLAS_CORETYPE=Haswell`); a `cap` holds PyTorch to the same
/// instruction set, so that the ratio compares the two implementations rather than two ISAs.
struct TorchReference {
    let script: String

    func milliseconds(case name: String, threads: Int, batch: Int, iterations: Int, repeats: Int, pairs: Int,
                      cappedAt cap: VectorISA? = nil) -> Double? {
        guard FileManager.default.fileExists(atPath: script) else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, "--case", name, "--threads", "\(threads)", "--batch", "\(batch)",
                             "--iters", "\(iterations)", "--repeats", "\(repeats)", "--pairs", "\(pairs)"]
        if let cap {
            process.environment = ProcessInfo.processInfo.environment.merging(cap.torchEnvironment) { _, capped in capped }
        }
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

/// PyTorch's time for one benchmark setting, at the instruction set of GANKit's BLAS kernels and,
/// when that is narrower than the machine's, also unrestricted (`native`).
struct TorchTiming {
    var matched: Double?
    var native: Double?
    let isa: VectorISA

    init(_ reference: TorchReference?, case name: String, threads: Int, batch: Int, iterations: Int, repeats: Int, pairs: Int) {
        isa = VectorISA.openBLAS
        guard let reference else { return }
        func run(_ cap: VectorISA?) -> Double? {
            reference.milliseconds(case: name, threads: threads, batch: batch, iterations: iterations, repeats: repeats, pairs: pairs, cappedAt: cap)
        }
        matched = run(isa)
        native = isa == .avx512 ? matched : run(nil)
    }

    /// What the PyTorch columns mean, printed above a table.
    static var legend: String {
        let isa = VectorISA.openBLAS
        return "PyTorch runs capped at \(isa.rawValue), the instruction set of GANKit's BLAS kernels"
            + (isa == .avx512 ? "." : "; \"native\" is PyTorch uncapped.")
    }
}
