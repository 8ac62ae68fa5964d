import GANKitTensor

extension Variable {
    /// Matrix product of rank-2 values, optionally transposing either; runs on `cblas_sgemm`.
    public static func matmul(_ a: Variable, _ b: Variable, transposeA: Bool = false, transposeB: Bool = false) -> Variable {
        record(Tensor.matmul(a.value, b.value, transposeA: transposeA, transposeB: transposeB), [a, b]) { g, needed in
            // C = op(A)·op(B): dop(A) = G·op(B)ᵀ, dop(B) = op(A)ᵀ·G, then undo the transposes.
            let da: Variable? = !needed[0] ? nil
                : transposeA ? matmul(b, g, transposeA: transposeB, transposeB: true) : matmul(g, b, transposeB: !transposeB)
            let db: Variable? = !needed[1] ? nil
                : transposeB ? matmul(g, a, transposeA: true, transposeB: transposeA) : matmul(a, g, transposeA: !transposeA)
            return [da, db]
        }
    }

    /// A fully connected layer, `x · Wᵀ + b`, with PyTorch's weight layout `[out, in]`: one GEMM
    /// whose output starts as the broadcast bias.
    public static func linear(_ x: Variable, weight: Variable, bias: Variable?) -> Variable {
        precondition(x.rank == 2 && weight.rank == 2 && x.shape[1] == weight.shape[1],
                     "linear: input \(x.shape) does not fit weight \(weight.shape)")
        let (rows, inFeatures, outFeatures) = (x.shape[0], x.shape[1], weight.shape[0])
        var y = Tensor(uninitializedShape: [rows, outFeatures])
        y.withUnsafeMutableBufferPointer { out in
            if let bias {
                bias.value.withUnsafeBufferPointer { b in
                    for r in 0..<rows { (out.baseAddress! + r * outFeatures).update(from: b.baseAddress!, count: outFeatures) }
                }
            }
            x.value.withUnsafeBufferPointer { xp in
                weight.value.withUnsafeBufferPointer { wp in
                    BLAS.gemm(transposeA: false, transposeB: true, m: rows, n: outFeatures, k: inFeatures,
                              a: xp.baseAddress!, lda: inFeatures, b: wp.baseAddress!, ldb: inFeatures,
                              beta: bias == nil ? 0 : 1, c: out.baseAddress!, ldc: outFeatures)
                }
            }
        }
        let inputs = bias.map { [x, weight, $0] } ?? [x, weight]
        return record(y, inputs) { g, needed in
            var grads: [Variable?] = [
                needed[0] ? matmul(g, weight) : nil,
                needed[1] ? matmul(g, x, transposeA: true) : nil,
            ]
            if bias != nil { grads.append(needed[2] ? g.sum(axes: [0]) : nil) }
            return grads
        }
    }
}
