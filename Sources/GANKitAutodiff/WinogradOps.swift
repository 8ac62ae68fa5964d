import GANKitTensor

// The Winograd form of DCGAN's convolutions (see `WinogradGeometry`) as differentiable pieces:
// three linear transforms, each recorded with its adjoint as backward (and the adjoint with the
// transform), and a batched matrix product. Gradients and double backward then need nothing else.

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
        record(Tensor.winogradInput(image.value, w), [image]) { h, _ in [winogradInputAdjoint(h, w)] }
    }

    public static func winogradInputAdjoint(_ transformed: Variable, _ w: WinogradGeometry) -> Variable {
        record(Tensor.winogradInputAdjoint(transformed.value, w), [transformed]) { h, _ in [winogradInput(h, w)] }
    }

    /// Transform-domain products `[9, O, tiles·N]` → output image `[N, O, Ho, Wo]`.
    public static func winogradOutput(_ products: Variable, _ w: WinogradGeometry) -> Variable {
        record(Tensor.winogradOutput(products.value, w), [products]) { h, _ in [winogradOutputAdjoint(h, w)] }
    }

    public static func winogradOutputAdjoint(_ image: Variable, _ w: WinogradGeometry) -> Variable {
        record(Tensor.winogradOutputAdjoint(image.value, w), [image]) { h, _ in [winogradOutput(h, w)] }
    }

    /// Weight `[O, C, 4, 4]` → transformed kernel `[9, O, 4C]`.
    public static func winogradWeight(_ weight: Variable) -> Variable {
        record(Tensor.winogradWeight(weight.value), [weight]) { h, _ in [winogradWeightAdjoint(h)] }
    }

    public static func winogradWeightAdjoint(_ transformed: Variable) -> Variable {
        record(Tensor.winogradWeightAdjoint(transformed.value), [transformed]) { h, _ in [winogradWeight(h)] }
    }
}

// The 1-D form (see `Winograd1DGeometry`), built the same way.
extension Variable {
    /// Sequence `[N, C, L]` → transformed sequence `[P, C, tiles·N]`.
    public static func winogradInput(_ sequence: Variable, _ w: Winograd1DGeometry) -> Variable {
        record(Tensor.winogradInput(sequence.value, w), [sequence]) { h, _ in [winogradInputAdjoint(h, w)] }
    }

    public static func winogradInputAdjoint(_ transformed: Variable, _ w: Winograd1DGeometry) -> Variable {
        record(Tensor.winogradInputAdjoint(transformed.value, w), [transformed]) { h, _ in [winogradInput(h, w)] }
    }

    /// Transform-domain products `[P, O, tiles·N]` → output sequence `[N, O, Lo]`.
    public static func winogradOutput(_ products: Variable, _ w: Winograd1DGeometry) -> Variable {
        record(Tensor.winogradOutput(products.value, w), [products]) { h, _ in [winogradOutputAdjoint(h, w)] }
    }

    public static func winogradOutputAdjoint(_ sequence: Variable, _ w: Winograd1DGeometry) -> Variable {
        record(Tensor.winogradOutputAdjoint(sequence.value, w), [sequence]) { h, _ in [winogradOutput(h, w)] }
    }

    /// Weight `[O, C, r]` → transformed kernel `[P, O, C]`.
    public static func winogradWeight(_ weight: Variable, _ w: Winograd1DGeometry) -> Variable {
        record(Tensor.winogradWeight(weight.value, w), [weight]) { h, _ in [winogradWeightAdjoint(h, w)] }
    }

    public static func winogradWeightAdjoint(_ transformed: Variable, _ w: Winograd1DGeometry) -> Variable {
        record(Tensor.winogradWeightAdjoint(transformed.value, w), [transformed]) { h, _ in [winogradWeight(h, w)] }
    }
}
