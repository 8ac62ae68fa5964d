import COpenBLAS
import Synchronization

/// The thin layer over OpenBLAS: every matrix product in GANKit goes through `gemm`.
public enum BLAS {
    /// Sets how many threads OpenBLAS may use, for the whole process and without waiting for
    /// anyone: for a program that owns the process (a benchmark). Work that must be reproducible
    /// uses `withThreads`.
    public static func setThreads(_ count: Int) { openblas_set_num_threads(Int32(max(1, count))) }
    public static var threads: Int { Int(openblas_get_num_threads()) }

    /// The kernel family OpenBLAS chose at load time (its own CPU detection, or the environment's
    /// `OPENBLAS_CORETYPE`): benchmarks print it because it sets the GEMM peak, e.g. AVX2 "Haswell"
    /// kernels run at about half the rate of AVX-512 "SkylakeX"/"Cooperlake" ones on the same CPU.
    public static var coreName: String { openblas_get_corename().map { String(cString: $0) } ?? "unknown" }

    /// Floating-point operations issued through `gemm` since the start (2·m·n·k each), counted only
    /// while `isCountingFlops` is set: benchmarks report the fraction of GEMM peak they reach.
    public static let flopCount = Atomic<Int>(0)
    nonisolated(unsafe) public static var isCountingFlops = false

    /// Row-major `C = alpha · op(A) · op(B) + beta · C`, where op(A) is m×k and op(B) is k×n.
    @inline(__always)
    public static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Float = 1, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        if m == 0 || n == 0 { return }
        if isCountingFlops { flopCount.add(2 * m * n * k, ordering: .relaxed) }
        if k == 0 {  // BLAS leaves C untouched in some builds; define it as beta · C
            for i in 0..<m { for j in 0..<n { c[i * ldc + j] = beta == 0 ? 0 : beta * c[i * ldc + j] } }
            return
        }
        cblas_sgemm(
            CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}

extension Tensor {
    /// Matrix product of two rank-2 tensors, optionally transposing either operand first.
    public static func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
        precondition(a.rank == 2 && b.rank == 2, "matmul needs rank-2 tensors, got \(a.shape) and \(b.shape)")
        let (m, ka) = transposeA ? (a.shape[1], a.shape[0]) : (a.shape[0], a.shape[1])
        let (kb, n) = transposeB ? (b.shape[1], b.shape[0]) : (b.shape[0], b.shape[1])
        precondition(ka == kb, "matmul: inner dimensions differ, \(a.shape)\(transposeA ? "ᵀ" : "") × \(b.shape)\(transposeB ? "ᵀ" : "")")
        var c = Tensor(uninitializedShape: [m, n])
        c.withUnsafeMutableBufferPointer { cp in
            a.withUnsafeBufferPointer { ap in
                b.withUnsafeBufferPointer { bp in
                    BLAS.gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: ka,
                              a: ap.baseAddress!, lda: a.shape[1], b: bp.baseAddress!, ldb: b.shape[1],
                              c: cp.baseAddress!, ldc: n)
                }
            }
        }
        return c
    }
}

extension Tensor {
    /// `[B, ·, ·]` × `[B, ·, ·]`: one matrix product per leading index, optionally transposing
    /// either operand of each.
    public static func batchedMatmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
        precondition(a.rank == 3 && b.rank == 3 && a.shape[0] == b.shape[0],
                     "batchedMatmul needs [B, ·, ·] tensors with equal B, got \(a.shape) and \(b.shape)")
        let (m, ka) = transposeA ? (a.shape[2], a.shape[1]) : (a.shape[1], a.shape[2])
        let (kb, n) = transposeB ? (b.shape[2], b.shape[1]) : (b.shape[1], b.shape[2])
        precondition(ka == kb, "batchedMatmul: inner dimensions differ, \(a.shape)\(transposeA ? "ᵀ" : "") × \(b.shape)\(transposeB ? "ᵀ" : "")")
        let batches = a.shape[0]
        var c = Tensor(uninitializedShape: [batches, m, n])
        c.withUnsafeMutableBufferPointer { cp in
            a.withUnsafeBufferPointer { ap in
                b.withUnsafeBufferPointer { bp in
                    for i in 0..<batches {
                        BLAS.gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: ka,
                                  a: ap.baseAddress! + i * m * ka, lda: a.shape[2], b: bp.baseAddress! + i * ka * n, ldb: b.shape[2],
                                  c: cp.baseAddress! + i * m * n, ldc: n)
                    }
                }
            }
        }
        return c
    }
}
