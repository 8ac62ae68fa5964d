import CVectorKernels

/// How a convolution is computed. Both give the same numbers up to rounding.
public enum ConvolutionAlgorithm: Sendable, Hashable {
    /// Winograd where it applies and pays (``WinogradGeometry/pays(outChannels:)``), else unfold.
    case automatic
    /// im2col and one GEMM: any geometry.
    case unfold
    /// The Winograd form: in 2-D only 4×4 kernels at stride 2 with padding 1
    /// (``WinogradGeometry``), in 1-D stride 1 with 2 to 7 taps (``Winograd1DGeometry``).
    case winograd
}

/// The Winograd form F(2×2, 2×2) of a 4×4, stride-2, padding-1 convolution, DCGAN's every
/// up- and down-sampling layer.
///
/// Split by the parity of its rows and columns, such a convolution is the sum of four stride-1
/// 2×2 convolutions, one per polyphase component of the image; F(2×2, 2×2) computes each 2×2
/// output tile of those from a 3×3 input tile with 9 products instead of 16. The products are 9
/// GEMMs, one per transform point, over the 4·C phase channels, so a convolution costs 9/16 of the
/// direct form's multiplications plus linear transforms that read and write each value once.
/// Every transform has its adjoint (a transposed convolution is the adjoint of a convolution),
/// so forward passes, gradients and double backward all use the same six loops (three transforms
/// and their adjoints).
public struct WinogradGeometry: Hashable, Sendable {
    /// The convolution, read as image → output (a transposed convolution reads it backwards).
    public let convolution: ConvolutionGeometry
    public var tilesHigh: Int { (convolution.outHeight + 1) / 2 }
    public var tilesWide: Int { (convolution.outWidth + 1) / 2 }
    /// Columns of every transformed matrix: one per (output tile, sample), the sample innermost.
    public var columns: Int { tilesHigh * tilesWide * convolution.batch }
    /// Rows of the transformed image: one per (channel, row phase, column phase).
    public var phaseChannels: Int { 4 * convolution.channels }

    /// Whether a convolution has the one geometry the Winograd form computes.
    public static func applies(to g: ConvolutionGeometry) -> Bool {
        g.kernelHeight == 4 && g.kernelWidth == 4 && g.stride == 2 && g.paddingHeight == 1 && g.paddingWidth == 1
    }

    public init?(_ g: ConvolutionGeometry) {
        guard Self.applies(to: g) else { return nil }
        convolution = g
    }

    /// Whether the Winograd form is faster than unfold for this layer. With few channels on
    /// either side (an RGB image's first layer, a generator's last) the GEMMs are too thin to
    /// run at speed and the transforms dominate.
    public func pays(outChannels: Int) -> Bool {
        convolution.channels >= 16 && outChannels >= 16
    }
}

extension Tensor {
    /// The transformed image `[9, 4C, tiles·N]` of an image `[N, C, H, W]`.
    public static func winogradInput(_ image: Tensor, _ w: WinogradGeometry) -> Tensor {
        let g = w.convolution
        precondition(image.shape == [g.batch, g.channels, g.inHeight, g.inWidth], "winogradInput: image \(image.shape) does not fit \(g)")
        return image.transformed(into: [9, w.phaseChannels, w.columns], channels: g.channels, floatsPerChannel: 36 * w.columns,
                                 scratchFloats: g.inHeight * g.inWidth * g.batch) { x, r, s, o in
            gankit_winograd_input(x, g.channels, g.inHeight, g.inWidth, g.batch, w.tilesHigh, w.tilesWide, r.lowerBound, r.upperBound, s, o)
        }
    }

    /// The adjoint of `winogradInput`: `[9, 4C, tiles·N]` → `[N, C, H, W]`.
    public static func winogradInputAdjoint(_ transformed: Tensor, _ w: WinogradGeometry) -> Tensor {
        let g = w.convolution
        precondition(transformed.shape == [9, w.phaseChannels, w.columns], "winogradInputAdjoint: \(transformed.shape) does not fit \(g)")
        return transformed.transformed(into: [g.batch, g.channels, g.inHeight, g.inWidth], channels: g.channels,
                                       floatsPerChannel: 36 * w.columns, scratchFloats: g.inHeight * g.inWidth * g.batch) { t, r, s, x in
            gankit_winograd_input_adjoint(t, g.channels, g.inHeight, g.inWidth, g.batch, w.tilesHigh, w.tilesWide, r.lowerBound, r.upperBound, s, x)
        }
    }

    /// The output image `[N, O, Ho, Wo]` of the transform-domain products `[9, O, tiles·N]`.
    public static func winogradOutput(_ products: Tensor, _ w: WinogradGeometry) -> Tensor {
        let g = w.convolution
        precondition(products.rank == 3 && products.shape[0] == 9 && products.shape[2] == w.columns,
                     "winogradOutput: \(products.shape) does not fit \(g)")
        let channels = products.shape[1]
        return products.transformed(into: [g.batch, channels, g.outHeight, g.outWidth], channels: channels,
                                    floatsPerChannel: 9 * w.columns, scratchFloats: g.outHeight * g.outWidth * g.batch) { m, r, s, y in
            gankit_winograd_output(m, channels, g.outHeight, g.outWidth, g.batch, w.tilesHigh, w.tilesWide, r.lowerBound, r.upperBound, s, y)
        }
    }

    /// The adjoint of `winogradOutput`: `[N, O, Ho, Wo]` → `[9, O, tiles·N]`.
    public static func winogradOutputAdjoint(_ image: Tensor, _ w: WinogradGeometry) -> Tensor {
        let g = w.convolution
        precondition(image.rank == 4 && image.shape[0] == g.batch && image.shape[2] == g.outHeight && image.shape[3] == g.outWidth,
                     "winogradOutputAdjoint: \(image.shape) does not fit \(g)")
        let channels = image.shape[1]
        return image.transformed(into: [9, channels, w.columns], channels: channels, floatsPerChannel: 9 * w.columns,
                               scratchFloats: g.outHeight * g.outWidth * g.batch) { y, r, s, m in
            gankit_winograd_output_adjoint(y, channels, g.outHeight, g.outWidth, g.batch, w.tilesHigh, w.tilesWide, r.lowerBound, r.upperBound, s, m)
        }
    }

    /// The transformed kernel `[9, O, 4C]` of a weight `[O, C, 4, 4]`.
    public static func winogradWeight(_ weight: Tensor) -> Tensor {
        precondition(weight.rank == 4 && weight.shape[2] == 4 && weight.shape[3] == 4, "winogradWeight: \(weight.shape) is not [O, C, 4, 4]")
        let (o, c) = (weight.shape[0], weight.shape[1])
        return weight.transformed(into: [9, o, 4 * c], channels: o, floatsPerChannel: 36 * c, scratchFloats: 16 * c) { w, r, s, t in
            gankit_winograd_weight(w, o, c, r.lowerBound, r.upperBound, s, t)
        }
    }

    /// The adjoint of `winogradWeight`: `[9, O, 4C]` → `[O, C, 4, 4]`.
    public static func winogradWeightAdjoint(_ transformed: Tensor) -> Tensor {
        precondition(transformed.rank == 3 && transformed.shape[0] == 9 && transformed.shape[2] % 4 == 0,
                     "winogradWeightAdjoint: \(transformed.shape) is not [9, O, 4C]")
        let (o, c) = (transformed.shape[1], transformed.shape[2] / 4)
        return transformed.transformed(into: [o, c, 4, 4], channels: o, floatsPerChannel: 36 * c, scratchFloats: 16 * c) { t, r, s, w in
            gankit_winograd_weight_adjoint(t, o, c, r.lowerBound, r.upperBound, s, w)
        }
    }

    /// A new tensor of `shape` written by `kernel(source, channels, scratch, destination)` over
    /// chunks of `channels` on BLAS's threads: every transform writes each channel's part alone,
    /// through a scratch block of `scratchFloats` of its thread's own.
    func transformed(into shape: [Int], channels: Int, floatsPerChannel: Int, scratchFloats: Int,
                     _ kernel: (UnsafePointer<Float>, Range<Int>, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>) -> Void) -> Tensor {
        var out = Tensor(uninitializedShape: shape)
        withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { destination in
                Parallel.forEachChunk(of: channels, grain: Parallel.grain(floatsPerItem: floatsPerChannel)) { range in
                    withUnsafeTemporaryAllocation(of: Float.self, capacity: max(1, scratchFloats)) { scratch in
                        kernel(source.baseAddress!, range, scratch.baseAddress!, destination.baseAddress!)
                    }
                }
            }
        }
        return out
    }
}
