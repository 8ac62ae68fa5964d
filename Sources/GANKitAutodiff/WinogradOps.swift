import GANKitTensor

// The Winograd forms of DCGAN's convolutions (`WinogradGeometry`) and of the text nets' 1-D ones
// (`Winograd1DGeometry`) as differentiable pieces: three linear transforms, each recorded with its
// adjoint as backward (and the adjoint with the transform), and a batched matrix product.
// Gradients and double backward then need nothing else.

extension Variable {
    /// `[B, ·, ·]` × `[B, ·, ·]`, one product per leading index.
    public static func batchedMatmul(_ a: Variable, _ b: Variable, transposeA: Bool = false, transposeB: Bool = false) -> Variable {
        record(Tensor.batchedMatmul(a.value, b.value, transposeA: transposeA, transposeB: transposeB), [a, b]) { g, needed in
            // As `matmul`, one batch at a time.
            let da: Variable? = !needed[0] ? nil
                : transposeA ? batchedMatmul(b, g, transposeA: transposeB, transposeB: true) : batchedMatmul(g, b, transposeB: !transposeB)
            let db: Variable? = !needed[1] ? nil
                : transposeB ? batchedMatmul(g, a, transposeA: true, transposeB: transposeA) : batchedMatmul(a, g, transposeA: !transposeA)
            return [da, db]
        }
    }

    /// Image `[N, C, H, W]` → transformed image `[9, 4C, tiles·N]`.
    public static func winogradInput(_ image: Variable, _ w: WinogradGeometry) -> Variable {
        linear(image, { Tensor.winogradInput($0, w) }, adjoint: { Tensor.winogradInputAdjoint($0, w) })
    }

    public static func winogradInputAdjoint(_ transformed: Variable, _ w: WinogradGeometry) -> Variable {
        linear(transformed, { Tensor.winogradInputAdjoint($0, w) }, adjoint: { Tensor.winogradInput($0, w) })
    }

    /// Transform-domain products `[9, O, tiles·N]` → output image `[N, O, Ho, Wo]`.
    public static func winogradOutput(_ products: Variable, _ w: WinogradGeometry) -> Variable {
        linear(products, { Tensor.winogradOutput($0, w) }, adjoint: { Tensor.winogradOutputAdjoint($0, w) })
    }

    public static func winogradOutputAdjoint(_ image: Variable, _ w: WinogradGeometry) -> Variable {
        linear(image, { Tensor.winogradOutputAdjoint($0, w) }, adjoint: { Tensor.winogradOutput($0, w) })
    }

    /// Weight `[O, C, 4, 4]` → transformed kernel `[9, O, 4C]`.
    public static func winogradWeight(_ weight: Variable) -> Variable {
        linear(weight, { Tensor.winogradWeight($0) }, adjoint: { Tensor.winogradWeightAdjoint($0) })
    }

    public static func winogradWeightAdjoint(_ transformed: Variable) -> Variable {
        linear(transformed, { Tensor.winogradWeightAdjoint($0) }, adjoint: { Tensor.winogradWeight($0) })
    }

    /// A linear map of `x`, recorded with its adjoint as backward (and the adjoint with the map as
    /// its own backward, for double backward).
    static func linear(_ x: Variable, _ map: @escaping (Tensor) -> Tensor,
                       adjoint: @escaping (Tensor) -> Tensor) -> Variable {
        record(map(x.value), [x]) { h, _ in [linear(h, adjoint, adjoint: map)] }
    }
}

// The 1-D form: its adjoints are only ever backward passes.
extension Variable {
    /// Sequence `[N, C, L]` → transformed sequence `[P, C, tiles·N]`.
    public static func winogradInput(_ sequence: Variable, _ w: Winograd1DGeometry) -> Variable {
        linear(sequence, { Tensor.winogradInput($0, w) }, adjoint: { Tensor.winogradInputAdjoint($0, w) })
    }

    /// Transform-domain products `[P, O, tiles·N]` → output sequence `[N, O, Lo]`.
    public static func winogradOutput(_ products: Variable, _ w: Winograd1DGeometry) -> Variable {
        linear(products, { Tensor.winogradOutput($0, w) }, adjoint: { Tensor.winogradOutputAdjoint($0, w) })
    }

    /// Weight `[O, C, r]` → transformed kernel `[P, O, C]`.
    public static func winogradWeight(_ weight: Variable, _ w: Winograd1DGeometry) -> Variable {
        linear(weight, { Tensor.winogradWeight($0, w) }, adjoint: { Tensor.winogradWeightAdjoint($0, w) })
    }
}
