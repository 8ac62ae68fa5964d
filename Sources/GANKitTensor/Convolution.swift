/// The geometry of a 2-D convolution between an image of `inHeight × inWidth` and its output of
/// `outHeight × outWidth`. A transposed convolution uses the same geometry read backwards: its
/// input is the convolution's output and its output is the convolution's image.
public struct ConvolutionGeometry: Hashable, Sendable {
    public var batch: Int
    public var channels: Int
    public var inHeight: Int, inWidth: Int
    public var kernelHeight: Int, kernelWidth: Int
    public var stride: Int, padding: Int
    public var outHeight: Int, outWidth: Int

    /// Geometry of a convolution applied to an image (PyTorch's output-size rule).
    public init(batch: Int, channels: Int, inHeight: Int, inWidth: Int, kernelHeight: Int, kernelWidth: Int, stride: Int, padding: Int) {
        self.init(batch: batch, channels: channels, inHeight: inHeight, inWidth: inWidth, kernelHeight: kernelHeight, kernelWidth: kernelWidth,
                  stride: stride, padding: padding,
                  outHeight: (inHeight + 2 * padding - kernelHeight) / stride + 1,
                  outWidth: (inWidth + 2 * padding - kernelWidth) / stride + 1)
    }

    public init(batch: Int, channels: Int, inHeight: Int, inWidth: Int, kernelHeight: Int, kernelWidth: Int,
                stride: Int, padding: Int, outHeight: Int, outWidth: Int) {
        self.batch = batch; self.channels = channels; self.inHeight = inHeight; self.inWidth = inWidth
        self.kernelHeight = kernelHeight; self.kernelWidth = kernelWidth; self.stride = stride; self.padding = padding
        self.outHeight = outHeight; self.outWidth = outWidth
    }

    /// Rows of the unfolded image: one per (channel, kernel row, kernel column).
    public var patchSize: Int { channels * kernelHeight * kernelWidth }
    /// Columns of the unfolded image: one per (sample, output row, output column).
    public var positions: Int { batch * outHeight * outWidth }
}

public enum ConvolutionKernels {
    /// The output columns `ow` whose input column `ow·stride − padding + k` lies inside the image.
    @inline(__always)
    static func validRange(kernelOffset k: Int, stride: Int, padding: Int, inSize: Int, outSize: Int) -> Range<Int> {
        // ow·s − p + k ≥ 0  ⇔  ow ≥ ⌈(p − k)/s⌉;   ow·s − p + k ≤ in − 1  ⇔  ow ≤ ⌊(in − 1 + p − k)/s⌋
        let low = max(0, (padding - k + stride - 1) >= 0 ? (padding - k + stride - 1) / stride : 0)
        let highNumerator = inSize - 1 + padding - k
        let high = highNumerator < 0 ? -1 : min(outSize - 1, highNumerator / stride)
        return low <= high ? low..<(high + 1) : 0..<0
    }

    /// Unfolds image patches into a `[patchSize, positions]` matrix (zeros where padding).
    public static func im2col(_ image: UnsafePointer<Float>, _ g: ConvolutionGeometry, into cols: UnsafeMutablePointer<Float>) {
        let spatialOut = g.outHeight * g.outWidth
        let (s, p, w) = (g.stride, g.padding, g.outWidth)
        var row = 0
        for c in 0..<g.channels {
            for ki in 0..<g.kernelHeight {
                let rows = validRange(kernelOffset: ki, stride: s, padding: p, inSize: g.inHeight, outSize: g.outHeight)
                for kj in 0..<g.kernelWidth {
                    let columns = validRange(kernelOffset: kj, stride: s, padding: p, inSize: g.inWidth, outSize: w)
                    let dst = cols + row * g.positions
                    for n in 0..<g.batch {
                        let src = image + (n * g.channels + c) * g.inHeight * g.inWidth
                        let dstN = dst + n * spatialOut
                        for oh in 0..<g.outHeight {
                            let d = dstN + oh * w
                            guard rows.contains(oh), !columns.isEmpty else { d.update(repeating: 0, count: w); continue }
                            if columns.lowerBound > 0 { d.update(repeating: 0, count: columns.lowerBound) }
                            if columns.upperBound < w { (d + columns.upperBound).update(repeating: 0, count: w - columns.upperBound) }
                            let line = src + (oh * s - p + ki) * g.inWidth + (kj - p)
                            if s == 1 {
                                (d + columns.lowerBound).update(from: line + columns.lowerBound, count: columns.count)
                            } else {
                                for ow in columns { d[ow] = line[ow * s] }
                            }
                        }
                    }
                    row += 1
                }
            }
        }
    }

    /// Folds a `[patchSize, positions]` matrix back into an image, summing overlapping patches.
    public static func col2im(_ cols: UnsafePointer<Float>, _ g: ConvolutionGeometry, into image: UnsafeMutablePointer<Float>) {
        image.update(repeating: 0, count: g.batch * g.channels * g.inHeight * g.inWidth)
        let spatialOut = g.outHeight * g.outWidth
        let (s, p, w) = (g.stride, g.padding, g.outWidth)
        var row = 0
        for c in 0..<g.channels {
            for ki in 0..<g.kernelHeight {
                let rows = validRange(kernelOffset: ki, stride: s, padding: p, inSize: g.inHeight, outSize: g.outHeight)
                for kj in 0..<g.kernelWidth {
                    let columns = validRange(kernelOffset: kj, stride: s, padding: p, inSize: g.inWidth, outSize: w)
                    let src = cols + row * g.positions
                    if !columns.isEmpty {
                        for n in 0..<g.batch {
                            let dstN = image + (n * g.channels + c) * g.inHeight * g.inWidth
                            let srcN = src + n * spatialOut
                            for oh in rows {
                                let line = dstN + (oh * s - p + ki) * g.inWidth + (kj - p)
                                let from = srcN + oh * w
                                if s == 1 {
                                    for ow in columns { line[ow] += from[ow] }
                                } else {
                                    for ow in columns { line[ow * s] += from[ow] }
                                }
                            }
                        }
                    }
                    row += 1
                }
            }
        }
    }

    /// `[N, C, P]` → `[C, N·P]`: channel-major layout so one GEMM covers the whole batch.
    static func toChannelMajor(_ x: UnsafePointer<Float>, batch: Int, channels: Int, spatial: Int, into y: UnsafeMutablePointer<Float>) {
        for n in 0..<batch {
            for c in 0..<channels {
                (y + c * batch * spatial + n * spatial).update(from: x + (n * channels + c) * spatial, count: spatial)
            }
        }
    }

    /// `[C, N·P]` → `[N, C, P]`.
    static func fromChannelMajor(_ x: UnsafePointer<Float>, batch: Int, channels: Int, spatial: Int, into y: UnsafeMutablePointer<Float>) {
        for n in 0..<batch {
            for c in 0..<channels {
                (y + (n * channels + c) * spatial).update(from: x + c * batch * spatial + n * spatial, count: spatial)
            }
        }
    }
}

extension Tensor {
    /// Unfolds `image [N, C, H, W]` into its patch matrix `[C·kh·kw, N·oh·ow]` (im2col), so that a
    /// convolution over the whole batch is one GEMM.
    public static func unfold(_ image: Tensor, _ g: ConvolutionGeometry) -> Tensor {
        precondition(image.shape == [g.batch, g.channels, g.inHeight, g.inWidth], "unfold: image \(image.shape) does not fit \(g)")
        var cols = Tensor(uninitializedShape: [g.patchSize, g.positions])
        image.withUnsafeBufferPointer { x in cols.withUnsafeMutableBufferPointer { ConvolutionKernels.im2col(x.baseAddress!, g, into: $0.baseAddress!) } }
        return cols
    }

    /// Folds a patch matrix `[C·kh·kw, N·oh·ow]` back into `[N, C, H, W]`, summing where patches
    /// overlap (col2im): the adjoint of `unfold`.
    public static func fold(_ cols: Tensor, _ g: ConvolutionGeometry) -> Tensor {
        precondition(cols.shape == [g.patchSize, g.positions], "fold: columns \(cols.shape) do not fit \(g)")
        var image = Tensor(uninitializedShape: [g.batch, g.channels, g.inHeight, g.inWidth])
        cols.withUnsafeBufferPointer { c in image.withUnsafeMutableBufferPointer { ConvolutionKernels.col2im(c.baseAddress!, g, into: $0.baseAddress!) } }
        return image
    }

    /// `[N, C, …]` → `[C, N·∏…]`: the layout in which a convolution's channels are GEMM rows.
    public var channelMajor: Tensor {
        precondition(rank >= 2, "channelMajor needs [N, C, …], got \(shape)")
        let (n, c) = (shape[0], shape[1])
        let spatial = count / max(1, n * c)
        var out = Tensor(uninitializedShape: [c, n * spatial])
        withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { ConvolutionKernels.toChannelMajor(x.baseAddress!, batch: n, channels: c, spatial: spatial, into: $0.baseAddress!) }
        }
        return out
    }

    /// `[C, N·P]` → `batchShape` (`[N, C, …]`): the inverse of `channelMajor`.
    public func batchMajor(_ batchShape: [Int]) -> Tensor {
        let (n, c) = (batchShape[0], batchShape[1])
        precondition(rank == 2 && shape[0] == c && batchShape.reduce(1, *) == count, "batchMajor: \(shape) cannot become \(batchShape)")
        var out = Tensor(uninitializedShape: batchShape)
        withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { ConvolutionKernels.fromChannelMajor(x.baseAddress!, batch: n, channels: c, spatial: count / max(1, n * c), into: $0.baseAddress!) }
        }
        return out
    }

    /// The geometry of `conv2d(input, weight)`: checks that the two fit and the output is not empty.
    public static func convolutionGeometry(input: [Int], weight: [Int], stride: Int, padding: Int) -> ConvolutionGeometry {
        precondition(input.count == 4 && weight.count == 4 && input[1] == weight[1],
                     "conv2d: input \(input) and weight \(weight) do not fit")
        let g = ConvolutionGeometry(batch: input[0], channels: input[1], inHeight: input[2], inWidth: input[3],
                                    kernelHeight: weight[2], kernelWidth: weight[3], stride: stride, padding: padding)
        precondition(g.outHeight > 0 && g.outWidth > 0, "conv2d: kernel larger than padded input \(input)")
        return g
    }

    /// The geometry of `convTranspose2d(input, weight)` read as the convolution it is the adjoint
    /// of: its output is that convolution's image, its input that convolution's output.
    public static func transposedConvolutionGeometry(input: [Int], weight: [Int], stride: Int, padding: Int, outputSize: (Int, Int)) -> ConvolutionGeometry {
        precondition(input.count == 4 && weight.count == 4 && input[1] == weight[0],
                     "convTranspose2d: input \(input) and weight \(weight) do not fit")
        return ConvolutionGeometry(batch: input[0], channels: weight[1], inHeight: outputSize.0, inWidth: outputSize.1,
                                   kernelHeight: weight[2], kernelWidth: weight[3], stride: stride, padding: padding,
                                   outHeight: input[2], outWidth: input[3])
    }

    /// Cross-correlation of `input [N, C, H, W]` with `weight [O, C, kh, kw]` (no bias).
    public static func conv2d(_ input: Tensor, _ weight: Tensor, stride: Int, padding: Int) -> Tensor {
        let g = convolutionGeometry(input: input.shape, weight: weight.shape, stride: stride, padding: padding)
        let product = matmul(weight.reshaped([weight.shape[0], g.patchSize]), unfold(input, g))
        return product.batchMajor([g.batch, weight.shape[0], g.outHeight, g.outWidth])
    }

    /// Transposed convolution of `input [N, Cin, H, W]` with `weight [Cin, Cout, kh, kw]` to an output
    /// of `outputSize` (height, width): the adjoint of `conv2d`, which is also its input gradient.
    public static func convTranspose2d(_ input: Tensor, _ weight: Tensor, stride: Int, padding: Int, outputSize: (Int, Int)) -> Tensor {
        let g = transposedConvolutionGeometry(input: input.shape, weight: weight.shape, stride: stride, padding: padding, outputSize: outputSize)
        return fold(matmul(weight.reshaped([weight.shape[0], g.patchSize]), input.channelMajor, transposeA: true), g)
    }
}
