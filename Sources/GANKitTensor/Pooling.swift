/// Where a 2-D pooling window reads and writes. The image is `planes` planes of
/// `inHeight × inWidth` pixels, each pixel a run of `inner` contiguous floats, so one geometry
/// covers both layouts GANKit uses: `[N, C, H, W]` (planes N·C, inner 1) and the batch-innermost
/// `[C, H, W, N]` of the convolution path (planes C, inner N), where a window's work becomes loops
/// over whole runs of samples.
///
/// The output size is PyTorch's floor rule, `(in + 2·padding − kernel) / stride + 1`; padding is
/// at most half the kernel, as PyTorch requires, so every window covers at least one pixel.
public struct PoolingGeometry: Hashable, Sendable {
    public var planes: Int, inner: Int
    public var inHeight: Int, inWidth: Int
    public var kernelHeight: Int, kernelWidth: Int
    public var stride: Int, padding: Int
    public var outHeight: Int, outWidth: Int

    public init(planes: Int, inner: Int, inHeight: Int, inWidth: Int, kernelHeight: Int, kernelWidth: Int, stride: Int, padding: Int) {
        precondition(kernelHeight > 0 && kernelWidth > 0 && stride > 0 && padding >= 0, "pooling: kernel and stride must be positive")
        precondition(2 * padding <= min(kernelHeight, kernelWidth), "pooling: padding \(padding) exceeds half the kernel")
        self.planes = planes; self.inner = inner; self.inHeight = inHeight; self.inWidth = inWidth
        self.kernelHeight = kernelHeight; self.kernelWidth = kernelWidth; self.stride = stride; self.padding = padding
        outHeight = (inHeight + 2 * padding - kernelHeight) / stride + 1
        outWidth = (inWidth + 2 * padding - kernelWidth) / stride + 1
        precondition(outHeight > 0 && outWidth > 0, "pooling: kernel \(kernelHeight)×\(kernelWidth) larger than padded input \(inHeight)×\(inWidth)")
    }

    /// The geometry of pooling `[N, C, H, W]`.
    public init(batchMajor shape: [Int], kernelHeight: Int, kernelWidth: Int, stride: Int, padding: Int) {
        precondition(shape.count == 4, "pooling expects [N, C, H, W], got \(shape)")
        self.init(planes: shape[0] * shape[1], inner: 1, inHeight: shape[2], inWidth: shape[3],
                  kernelHeight: kernelHeight, kernelWidth: kernelWidth, stride: stride, padding: padding)
    }

    public var inputCount: Int { planes * inHeight * inWidth * inner }
    public var outputCount: Int { planes * outHeight * outWidth * inner }

    /// The input rows (or columns) window `o` covers inside the image, and PyTorch's divisor bound:
    /// the window clipped to the padded image (`count_include_pad`) before it is clipped to the image.
    @inline(__always)
    func window(_ o: Int, kernel: Int, size: Int) -> (range: Range<Int>, padded: Int) {
        let start = o &* stride &- padding
        let paddedEnd = min(start &+ kernel, size &+ padding)
        return (max(start, 0)..<min(paddedEnd, size), paddedEnd &- start)
    }
}

/// The loops under max and average pooling, over raw buffers laid out as `PoolingGeometry` says.
/// Each output pixel's run of `inner` floats is built tap by tap, so with the batch innermost the
/// innermost loop is a contiguous, vectorisable run of samples.
public enum PoolingKernels {
    /// Maximum over each window (padding never wins). With `argmax`, also the flat input index each
    /// output took its value from (the first maximum, or the last NaN, as PyTorch picks).
    public static func maxPool(_ x: UnsafePointer<Float>, _ g: PoolingGeometry, into y: UnsafeMutablePointer<Float>,
                               argmax: UnsafeMutablePointer<Int32>? = nil) {
        let inPlane = g.inHeight &* g.inWidth &* g.inner, outPlane = g.outHeight &* g.outWidth &* g.inner
        Parallel.forEachChunk(of: g.planes, grain: Parallel.grain(floatsPerItem: outPlane &* g.kernelHeight &* g.kernelWidth)) { planes in
            for p in planes {
                let source = x + p &* inPlane
                for oh in 0..<g.outHeight {
                    let rows = g.window(oh, kernel: g.kernelHeight, size: g.inHeight).range
                    for ow in 0..<g.outWidth {
                        let columns = g.window(ow, kernel: g.kernelWidth, size: g.inWidth).range
                        let o = p &* outPlane &+ (oh &* g.outWidth &+ ow) &* g.inner
                        let out = y + o
                        if let argmax {
                            for j in 0..<g.inner {
                                var best = -Float.infinity, at = -1
                                for ih in rows {
                                    for iw in columns {
                                        let i = (ih &* g.inWidth &+ iw) &* g.inner &+ j
                                        let v = source[i]
                                        if v > best || v.isNaN || at < 0 { best = v; at = i }
                                    }
                                }
                                out[j] = best
                                argmax[o &+ j] = Int32(truncatingIfNeeded: p &* inPlane &+ at)
                            }
                        } else {
                            out.update(repeating: -.infinity, count: g.inner)
                            for ih in rows {
                                for iw in columns {
                                    let tap = source + (ih &* g.inWidth &+ iw) &* g.inner
                                    for j in 0..<g.inner { out[j] = max(out[j], tap[j]) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Mean over each window. The divisor is the window clipped to the padded image when
    /// `countIncludePad` (zeros of the padding counted), else the pixels inside the image: the
    /// choice PyTorch's `count_include_pad` makes (the FID network's blocks use `false`, as
    /// TensorFlow's pooling does).
    public static func averagePool(_ x: UnsafePointer<Float>, _ g: PoolingGeometry, countIncludePad: Bool, into y: UnsafeMutablePointer<Float>) {
        let inPlane = g.inHeight &* g.inWidth &* g.inner, outPlane = g.outHeight &* g.outWidth &* g.inner
        Parallel.forEachChunk(of: g.planes, grain: Parallel.grain(floatsPerItem: outPlane &* g.kernelHeight &* g.kernelWidth)) { planes in
            for p in planes {
                let source = x + p &* inPlane
                for oh in 0..<g.outHeight {
                    let (rows, paddedRows) = g.window(oh, kernel: g.kernelHeight, size: g.inHeight)
                    for ow in 0..<g.outWidth {
                        let (columns, paddedColumns) = g.window(ow, kernel: g.kernelWidth, size: g.inWidth)
                        let out = y + (p &* outPlane &+ (oh &* g.outWidth &+ ow) &* g.inner)
                        out.update(repeating: 0, count: g.inner)
                        for ih in rows {
                            for iw in columns {
                                let tap = source + (ih &* g.inWidth &+ iw) &* g.inner
                                for j in 0..<g.inner { out[j] += tap[j] }
                            }
                        }
                        let divisor: Int = countIncludePad ? paddedRows &* paddedColumns : rows.count &* columns.count
                        let scale = 1 / Float(divisor)
                        for j in 0..<g.inner { out[j] *= scale }
                    }
                }
            }
        }
    }

    /// The adjoint of `averagePool`: each output's gradient, divided as the forward divided it, is
    /// added to every pixel of its window. `gx` is overwritten.
    public static func averagePoolAdjoint(_ gy: UnsafePointer<Float>, _ g: PoolingGeometry, countIncludePad: Bool,
                                          into gx: UnsafeMutablePointer<Float>) {
        let inPlane = g.inHeight &* g.inWidth &* g.inner, outPlane = g.outHeight &* g.outWidth &* g.inner
        Parallel.forEachChunk(of: g.planes, grain: Parallel.grain(floatsPerItem: outPlane &* g.kernelHeight &* g.kernelWidth)) { planes in
            for p in planes {
                let target = gx + p &* inPlane
                target.update(repeating: 0, count: inPlane)
                for oh in 0..<g.outHeight {
                    let (rows, paddedRows) = g.window(oh, kernel: g.kernelHeight, size: g.inHeight)
                    for ow in 0..<g.outWidth {
                        let (columns, paddedColumns) = g.window(ow, kernel: g.kernelWidth, size: g.inWidth)
                        let upstream = gy + (p &* outPlane &+ (oh &* g.outWidth &+ ow) &* g.inner)
                        let divisor: Int = countIncludePad ? paddedRows &* paddedColumns : rows.count &* columns.count
                        let scale = 1 / Float(divisor)
                        for ih in rows {
                            for iw in columns {
                                let tap = target + (ih &* g.inWidth &+ iw) &* g.inner
                                for j in 0..<g.inner { tap[j] += upstream[j] * scale }
                            }
                        }
                    }
                }
            }
        }
    }
}

extension Tensor {
    /// Max pooling of `[N, C, H, W]`, with the flat index into `self` of every output's maximum
    /// (what its gradient routes through).
    public func maxPooled2d(_ g: PoolingGeometry) -> (values: Tensor, argmax: [Int32]) {
        precondition(count == g.inputCount && g.inner == 1 && rank == 4, "maxPool2d: input \(shape) does not fit \(g)")
        precondition(count <= Int(Int32.max), "maxPool2d: input of \(count) elements is too large for 32-bit indices")
        var out = Tensor(uninitializedShape: [shape[0], shape[1], g.outHeight, g.outWidth])
        var argmax = [Int32](repeating: 0, count: g.outputCount)
        withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { y in
                argmax.withUnsafeMutableBufferPointer { PoolingKernels.maxPool(x.baseAddress!, g, into: y.baseAddress!, argmax: $0.baseAddress!) }
            }
        }
        return (out, argmax)
    }

    /// Average pooling of `[N, C, H, W]`.
    public func averagePooled2d(_ g: PoolingGeometry, countIncludePad: Bool) -> Tensor {
        precondition(count == g.inputCount && g.inner == 1 && rank == 4, "avgPool2d: input \(shape) does not fit \(g)")
        var out = Tensor(uninitializedShape: [shape[0], shape[1], g.outHeight, g.outWidth])
        withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { PoolingKernels.averagePool(x.baseAddress!, g, countIncludePad: countIncludePad, into: $0.baseAddress!) }
        }
        return out
    }

    /// The adjoint of `averagePooled2d`: `self` is the output's gradient `[N, C, oh, ow]`, the
    /// result the input's `[N, C, H, W]`.
    public func averagePooled2dAdjoint(_ g: PoolingGeometry, countIncludePad: Bool) -> Tensor {
        precondition(count == g.outputCount && g.inner == 1 && rank == 4, "avgPool2d adjoint: gradient \(shape) does not fit \(g)")
        var out = Tensor(uninitializedShape: [shape[0], shape[1], g.inHeight, g.inWidth])
        withUnsafeBufferPointer { gy in
            out.withUnsafeMutableBufferPointer {
                PoolingKernels.averagePoolAdjoint(gy.baseAddress!, g, countIncludePad: countIncludePad, into: $0.baseAddress!)
            }
        }
        return out
    }

    /// `out[i] = self[indices[i]]`, shaped `shape`: the values a max pool picked.
    public func gathered(at indices: [Int32], shape outShape: [Int]) -> Tensor {
        precondition(indices.count == outShape.reduce(1, *), "gather: \(indices.count) indices for shape \(outShape)")
        var out = Tensor(uninitializedShape: outShape)
        withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { y in
                indices.withUnsafeBufferPointer { idx in
                    for i in 0..<idx.count { y[i] = x[Int(idx[i])] }
                }
            }
        }
        return out
    }

    /// Zeros of `shape` with `self[i]` added at `indices[i]`: the adjoint of `gathered(at:shape:)`.
    public func scatteredAdd(at indices: [Int32], shape outShape: [Int]) -> Tensor {
        precondition(indices.count == count, "scatter: \(indices.count) indices for \(count) values")
        var out = Tensor.zeros(outShape)
        withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { y in
                indices.withUnsafeBufferPointer { idx in
                    for i in 0..<idx.count { y[Int(idx[i])] += x[i] }
                }
            }
        }
        return out
    }
}
