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
    /// Cross-correlation of `input [N, C, H, W]` with `weight [O, C, kh, kw]` (no bias).
    public static func conv2d(_ input: Tensor, _ weight: Tensor, stride: Int, padding: Int) -> Tensor {
        precondition(input.rank == 4 && weight.rank == 4 && input.shape[1] == weight.shape[1],
                     "conv2d: input \(input.shape) and weight \(weight.shape) do not fit")
        let g = ConvolutionGeometry(batch: input.shape[0], channels: input.shape[1], inHeight: input.shape[2], inWidth: input.shape[3],
                                    kernelHeight: weight.shape[2], kernelWidth: weight.shape[3], stride: stride, padding: padding)
        precondition(g.outHeight > 0 && g.outWidth > 0, "conv2d: kernel larger than padded input \(input.shape)")
        return conv2d(input, weight, geometry: g)
    }

    static func conv2d(_ input: Tensor, _ weight: Tensor, geometry g: ConvolutionGeometry) -> Tensor {
        let outChannels = weight.shape[0]
        var cols = Tensor(uninitializedShape: [g.patchSize, g.positions])
        var product = Tensor(uninitializedShape: [outChannels, g.positions])
        var out = Tensor(uninitializedShape: [g.batch, outChannels, g.outHeight, g.outWidth])
        input.withUnsafeBufferPointer { x in cols.withUnsafeMutableBufferPointer { ConvolutionKernels.im2col(x.baseAddress!, g, into: $0.baseAddress!) } }
        weight.withUnsafeBufferPointer { w in
            cols.withUnsafeBufferPointer { c in
                product.withUnsafeMutableBufferPointer { p in
                    BLAS.gemm(transposeA: false, transposeB: false, m: outChannels, n: g.positions, k: g.patchSize,
                              a: w.baseAddress!, lda: g.patchSize, b: c.baseAddress!, ldb: g.positions, c: p.baseAddress!, ldc: g.positions)
                }
            }
        }
        product.withUnsafeBufferPointer { p in
            out.withUnsafeMutableBufferPointer {
                ConvolutionKernels.fromChannelMajor(p.baseAddress!, batch: g.batch, channels: outChannels, spatial: g.outHeight * g.outWidth, into: $0.baseAddress!)
            }
        }
        return out
    }

    /// Transposed convolution of `input [N, Cin, H, W]` with `weight [Cin, Cout, kh, kw]` to an output
    /// of `outputSize` (height, width): the adjoint of `conv2d`, which is also its input gradient.
    public static func convTranspose2d(_ input: Tensor, _ weight: Tensor, stride: Int, padding: Int, outputSize: (Int, Int)) -> Tensor {
        precondition(input.rank == 4 && weight.rank == 4 && input.shape[1] == weight.shape[0],
                     "convTranspose2d: input \(input.shape) and weight \(weight.shape) do not fit")
        let (n, cin, h, w) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        let cout = weight.shape[1]
        let g = ConvolutionGeometry(batch: n, channels: cout, inHeight: outputSize.0, inWidth: outputSize.1,
                                    kernelHeight: weight.shape[2], kernelWidth: weight.shape[3], stride: stride, padding: padding,
                                    outHeight: h, outWidth: w)
        var channelMajor = Tensor(uninitializedShape: [cin, g.positions])
        var cols = Tensor(uninitializedShape: [g.patchSize, g.positions])
        var out = Tensor(uninitializedShape: [n, cout, outputSize.0, outputSize.1])
        input.withUnsafeBufferPointer { x in
            channelMajor.withUnsafeMutableBufferPointer {
                ConvolutionKernels.toChannelMajor(x.baseAddress!, batch: n, channels: cin, spatial: h * w, into: $0.baseAddress!)
            }
        }
        weight.withUnsafeBufferPointer { wp in
            channelMajor.withUnsafeBufferPointer { xp in
                cols.withUnsafeMutableBufferPointer { c in
                    BLAS.gemm(transposeA: true, transposeB: false, m: g.patchSize, n: g.positions, k: cin,
                              a: wp.baseAddress!, lda: g.patchSize, b: xp.baseAddress!, ldb: g.positions, c: c.baseAddress!, ldc: g.positions)
                }
            }
        }
        cols.withUnsafeBufferPointer { c in out.withUnsafeMutableBufferPointer { ConvolutionKernels.col2im(c.baseAddress!, g, into: $0.baseAddress!) } }
        return out
    }

    /// Gradient of `conv2d(input, W)` with respect to W for an output gradient `outputGradient`:
    /// `[O, C, kh, kw]`, bilinear in the two arguments.
    public static func conv2dWeightGradient(_ input: Tensor, _ outputGradient: Tensor, stride: Int, padding: Int, kernelSize: (Int, Int)) -> Tensor {
        let outChannels = outputGradient.shape[1]
        let g = ConvolutionGeometry(batch: input.shape[0], channels: input.shape[1], inHeight: input.shape[2], inWidth: input.shape[3],
                                    kernelHeight: kernelSize.0, kernelWidth: kernelSize.1, stride: stride, padding: padding,
                                    outHeight: outputGradient.shape[2], outWidth: outputGradient.shape[3])
        var cols = Tensor(uninitializedShape: [g.patchSize, g.positions])
        var channelMajor = Tensor(uninitializedShape: [outChannels, g.positions])
        var out = Tensor(uninitializedShape: [outChannels, g.channels, kernelSize.0, kernelSize.1])
        input.withUnsafeBufferPointer { x in cols.withUnsafeMutableBufferPointer { ConvolutionKernels.im2col(x.baseAddress!, g, into: $0.baseAddress!) } }
        outputGradient.withUnsafeBufferPointer { dy in
            channelMajor.withUnsafeMutableBufferPointer {
                ConvolutionKernels.toChannelMajor(dy.baseAddress!, batch: g.batch, channels: outChannels, spatial: g.outHeight * g.outWidth, into: $0.baseAddress!)
            }
        }
        channelMajor.withUnsafeBufferPointer { dy in
            cols.withUnsafeBufferPointer { c in
                out.withUnsafeMutableBufferPointer { o in
                    BLAS.gemm(transposeA: false, transposeB: true, m: outChannels, n: g.patchSize, k: g.positions,
                              a: dy.baseAddress!, lda: g.positions, b: c.baseAddress!, ldb: g.positions, c: o.baseAddress!, ldc: g.patchSize)
                }
            }
        }
        return out
    }
}
