/// Bilinear resizing with `align_corners=False`, exactly as PyTorch's
/// `F.interpolate(mode='bilinear', align_corners=False)` samples: output pixel `o` reads the input
/// at `(o + ½)·in/out − ½`, clamped at 0, between the two nearest pixels (the last one repeated at
/// the far edge). The FID network resizes every image to 299×299 this way before anything else.
///
/// Like `PoolingGeometry`, the image is `planes` planes of pixels that each hold `inner` contiguous
/// floats: `[N, C, H, W]` is planes N·C, inner 1; `[C, H, W, N]` is planes C, inner N.
public struct BilinearResizeGeometry: Hashable, Sendable {
    public var planes: Int, inner: Int
    public var inHeight: Int, inWidth: Int
    public var outHeight: Int, outWidth: Int

    public init(planes: Int, inner: Int, inHeight: Int, inWidth: Int, outHeight: Int, outWidth: Int) {
        precondition(inHeight > 0 && inWidth > 0 && outHeight > 0 && outWidth > 0, "bilinear resize: sizes must be positive")
        self.planes = planes; self.inner = inner
        self.inHeight = inHeight; self.inWidth = inWidth; self.outHeight = outHeight; self.outWidth = outWidth
    }

    public var inputCount: Int { planes * inHeight * inWidth * inner }
    public var outputCount: Int { planes * outHeight * outWidth * inner }
}

/// The two input pixels an output pixel reads along one axis, and their weights.
public struct BilinearTap: Hashable, Sendable {
    public var low: Int, high: Int
    public var lowWeight: Float, highWeight: Float

    /// PyTorch's source positions for resizing `inSize` to `outSize` (`area_pixel_compute_scale`
    /// and `area_pixel_compute_source_index`, in single precision as its CPU kernel computes them).
    public static func taps(from inSize: Int, to outSize: Int) -> [BilinearTap] {
        let scale = Float(inSize) / Float(outSize)
        return (0..<outSize).map { o in
            let source = max(scale * (Float(o) + 0.5) - 0.5, 0)
            let low = min(Int(source.rounded(.down)), inSize - 1)
            let lambda = min(max(source - Float(low), 0), 1)
            return BilinearTap(low: low, high: low + (low < inSize - 1 ? 1 : 0), lowWeight: 1 - lambda, highWeight: lambda)
        }
    }
}

public enum BilinearResizeKernels {
    /// Resizes every plane of `x` into `y`. Rows are interpolated first along the width into a
    /// scratch row, then blended: two input rows per output row, each run of `inner` floats at once.
    public static func resize(_ x: UnsafePointer<Float>, _ g: BilinearResizeGeometry, into y: UnsafeMutablePointer<Float>) {
        let rows = BilinearTap.taps(from: g.inHeight, to: g.outHeight), columns = BilinearTap.taps(from: g.inWidth, to: g.outWidth)
        let inPlane = g.inHeight &* g.inWidth &* g.inner, outPlane = g.outHeight &* g.outWidth &* g.inner
        let inRow = g.inWidth &* g.inner, outRow = g.outWidth &* g.inner
        Parallel.forEachChunk(of: g.planes, grain: Parallel.grain(floatsPerItem: outPlane)) { planes in
            for p in planes {
                let source = x + p &* inPlane, target = y + p &* outPlane
                for (oh, r) in rows.enumerated() {
                    let top = source + r.low &* inRow, bottom = source + r.high &* inRow
                    let out = target + oh &* outRow
                    for (ow, c) in columns.enumerated() {
                        let o = out + ow &* g.inner
                        let tl = top + c.low &* g.inner, tr = top + c.high &* g.inner
                        let bl = bottom + c.low &* g.inner, br = bottom + c.high &* g.inner
                        let (h0, h1, w0, w1) = (r.lowWeight, r.highWeight, c.lowWeight, c.highWeight)
                        for j in 0..<g.inner {
                            o[j] = h0 * (w0 * tl[j] + w1 * tr[j]) + h1 * (w0 * bl[j] + w1 * br[j])
                        }
                    }
                }
            }
        }
    }

    /// The adjoint of `resize`: each output's gradient is added, with the forward's weights, to the
    /// four input pixels it read. `gx` is overwritten.
    public static func resizeAdjoint(_ gy: UnsafePointer<Float>, _ g: BilinearResizeGeometry, into gx: UnsafeMutablePointer<Float>) {
        let rows = BilinearTap.taps(from: g.inHeight, to: g.outHeight), columns = BilinearTap.taps(from: g.inWidth, to: g.outWidth)
        let inPlane = g.inHeight &* g.inWidth &* g.inner, outPlane = g.outHeight &* g.outWidth &* g.inner
        let inRow = g.inWidth &* g.inner, outRow = g.outWidth &* g.inner
        Parallel.forEachChunk(of: g.planes, grain: Parallel.grain(floatsPerItem: outPlane)) { planes in
            for p in planes {
                let target = gx + p &* inPlane, upstream = gy + p &* outPlane
                target.update(repeating: 0, count: inPlane)
                for (oh, r) in rows.enumerated() {
                    let top = target + r.low &* inRow, bottom = target + r.high &* inRow
                    let row = upstream + oh &* outRow
                    for (ow, c) in columns.enumerated() {
                        let u = row + ow &* g.inner
                        let (tl, tr) = (r.lowWeight * c.lowWeight, r.lowWeight * c.highWeight)
                        let (bl, br) = (r.highWeight * c.lowWeight, r.highWeight * c.highWeight)
                        let (a, b) = (top + c.low &* g.inner, top + c.high &* g.inner)
                        let (d, e) = (bottom + c.low &* g.inner, bottom + c.high &* g.inner)
                        for j in 0..<g.inner {
                            let v = u[j]
                            a[j] += tl * v; b[j] += tr * v; d[j] += bl * v; e[j] += br * v
                        }
                    }
                }
            }
        }
    }
}

extension Tensor {
    /// `[N, C, H, W]` resized to `[N, C, height, width]` (bilinear, `align_corners=False`).
    public func resizedBilinear(height: Int, width: Int) -> Tensor {
        precondition(rank == 4, "resizedBilinear expects [N, C, H, W], got \(shape)")
        let g = BilinearResizeGeometry(planes: shape[0] * shape[1], inner: 1, inHeight: shape[2], inWidth: shape[3], outHeight: height, outWidth: width)
        var out = Tensor(uninitializedShape: [shape[0], shape[1], height, width])
        withUnsafeBufferPointer { x in out.withUnsafeMutableBufferPointer { BilinearResizeKernels.resize(x.baseAddress!, g, into: $0.baseAddress!) } }
        return out
    }

    /// The adjoint of `resizedBilinear`: `self` is the gradient `[N, C, h, w]` of a resize from
    /// `height × width`; the result is `[N, C, height, width]`.
    public func resizedBilinearAdjoint(height: Int, width: Int) -> Tensor {
        precondition(rank == 4, "resizedBilinearAdjoint expects [N, C, h, w], got \(shape)")
        let g = BilinearResizeGeometry(planes: shape[0] * shape[1], inner: 1, inHeight: height, inWidth: width, outHeight: shape[2], outWidth: shape[3])
        var out = Tensor(uninitializedShape: [shape[0], shape[1], height, width])
        withUnsafeBufferPointer { gy in out.withUnsafeMutableBufferPointer { BilinearResizeKernels.resizeAdjoint(gy.baseAddress!, g, into: $0.baseAddress!) } }
        return out
    }
}
