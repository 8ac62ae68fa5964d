import CVectorKernels

/// The geometry of a 2-D convolution between an image of `inHeight × inWidth` and its output of
/// `outHeight × outWidth`. A transposed convolution uses the same geometry read backwards: its
/// input is the convolution's output and its output is the convolution's image.
public struct ConvolutionGeometry: Hashable, Sendable {
    public var batch: Int
    public var channels: Int
    public var inHeight: Int, inWidth: Int
    public var kernelHeight: Int, kernelWidth: Int
    /// Zero padding above and below (`paddingHeight`) and left and right (`paddingWidth`): a 1-D
    /// convolution is a 2-D one over images one row high, padded along the row only.
    public var stride: Int, paddingHeight: Int, paddingWidth: Int
    public var outHeight: Int, outWidth: Int

    /// Geometry of a convolution applied to an image (PyTorch's output-size rule).
    public init(batch: Int, channels: Int, inHeight: Int, inWidth: Int, kernelHeight: Int, kernelWidth: Int, stride: Int, padding: Int) {
        self.init(batch: batch, channels: channels, inHeight: inHeight, inWidth: inWidth, kernelHeight: kernelHeight, kernelWidth: kernelWidth,
                  stride: stride, paddingHeight: padding, paddingWidth: padding)
    }

    public init(batch: Int, channels: Int, inHeight: Int, inWidth: Int, kernelHeight: Int, kernelWidth: Int, stride: Int,
                paddingHeight: Int, paddingWidth: Int) {
        self.init(batch: batch, channels: channels, inHeight: inHeight, inWidth: inWidth, kernelHeight: kernelHeight, kernelWidth: kernelWidth,
                  stride: stride, paddingHeight: paddingHeight, paddingWidth: paddingWidth,
                  outHeight: (inHeight + 2 * paddingHeight - kernelHeight) / stride + 1,
                  outWidth: (inWidth + 2 * paddingWidth - kernelWidth) / stride + 1)
    }

    public init(batch: Int, channels: Int, inHeight: Int, inWidth: Int, kernelHeight: Int, kernelWidth: Int,
                stride: Int, padding: Int, outHeight: Int, outWidth: Int) {
        self.init(batch: batch, channels: channels, inHeight: inHeight, inWidth: inWidth, kernelHeight: kernelHeight, kernelWidth: kernelWidth,
                  stride: stride, paddingHeight: padding, paddingWidth: padding, outHeight: outHeight, outWidth: outWidth)
    }

    public init(batch: Int, channels: Int, inHeight: Int, inWidth: Int, kernelHeight: Int, kernelWidth: Int,
                stride: Int, paddingHeight: Int, paddingWidth: Int, outHeight: Int, outWidth: Int) {
        self.batch = batch; self.channels = channels; self.inHeight = inHeight; self.inWidth = inWidth
        self.kernelHeight = kernelHeight; self.kernelWidth = kernelWidth; self.stride = stride
        self.paddingHeight = paddingHeight; self.paddingWidth = paddingWidth
        self.outHeight = outHeight; self.outWidth = outWidth
    }

    /// Rows of the unfolded image: one per (channel, kernel row, kernel column).
    public var patchSize: Int { channels * kernelHeight * kernelWidth }
    /// Columns of the unfolded image: one per (output row, output column, sample), the sample
    /// innermost so that unfolding moves whole runs of samples at once.
    public var positions: Int { batch * outHeight * outWidth }
}

/// The loops under convolutions. They work in the batch-innermost layout `[C, H, W, N]`, where
/// every pixel of a channel holds its N samples side by side: unfolding and folding then move
/// contiguous runs of N (or, at stride 1, whole rows of N·width) instead of single floats, which
/// matters because DCGAN's feature maps are only 7 to 14 pixels wide.
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

    /// `[rows, columns]` → `[columns, rows]`, split by columns across BLAS's threads.
    public static func transpose(_ source: UnsafePointer<Float>, rows: Int, columns: Int, into destination: UnsafeMutablePointer<Float>) {
        if rows == 1 || columns == 1 { destination.update(from: source, count: rows * columns); return }
        Parallel.forEachChunk(of: columns, grain: Parallel.grain(floatsPerItem: rows)) { range in
            gankit_transpose(source, rows, columns, range.lowerBound, range.upperBound, destination)
        }
    }

    /// Unfolds a `[C, H, W, N]` image into the `[patchSize, positions]` matrix (zeros where padding).
    public static func im2col(batchInnermost image: UnsafePointer<Float>, _ g: ConvolutionGeometry, into cols: UnsafeMutablePointer<Float>) {
        im2col(batchInnermost: image, g, outputRows: 0..<g.outHeight, into: cols)
    }

    /// Unfolds the patches of output rows `outputRows` only, into `[patchSize, rows·ow·N]`: the
    /// columns of those rows, so that a large convolution can be computed a band of rows at a time
    /// without holding its whole patch matrix (the FID network's first layers would need 1.2 GB).
    public static func im2col(batchInnermost image: UnsafePointer<Float>, _ g: ConvolutionGeometry, outputRows: Range<Int>,
                              into cols: UnsafeMutablePointer<Float>) {
        let columns = outputRows.count * g.outWidth * g.batch
        Parallel.forEachChunk(of: g.channels, grain: Parallel.grain(floatsPerItem: g.kernelHeight * g.kernelWidth * columns)) { channels in
            for c in channels { unfoldChannel(c, image, g, outputRows: outputRows, into: cols) }
        }
    }

    /// Folds a `[patchSize, positions]` matrix into a `[C, H, W, N]` image, summing overlapping
    /// patches (the adjoint of `im2col`).
    public static func col2im(_ cols: UnsafePointer<Float>, _ g: ConvolutionGeometry, batchInnermost image: UnsafeMutablePointer<Float>) {
        Parallel.forEachChunk(of: g.channels, grain: Parallel.grain(floatsPerItem: g.kernelHeight * g.kernelWidth * g.positions)) { channels in
            for c in channels { foldChannel(c, cols, g, into: image) }
        }
    }

    /// Visits the `kh·kw` patch rows of channel `c`: each row's index in the patch matrix, its
    /// kernel tap, and the output rows and columns whose input pixel lies inside the image.
    @inline(__always)
    static func forEachTap(of c: Int, _ g: ConvolutionGeometry,
                           _ body: (_ row: Int, _ ki: Int, _ kj: Int, _ rows: Range<Int>, _ columns: Range<Int>) -> Void) {
        var row = c &* g.kernelHeight &* g.kernelWidth
        for ki in 0..<g.kernelHeight {
            let rows = validRange(kernelOffset: ki, stride: g.stride, padding: g.paddingHeight, inSize: g.inHeight, outSize: g.outHeight)
            for kj in 0..<g.kernelWidth {
                let columns = validRange(kernelOffset: kj, stride: g.stride, padding: g.paddingWidth, inSize: g.inWidth, outSize: g.outWidth)
                body(row, ki, kj, rows, columns)
                row += 1
            }
        }
    }

    /// The `kh·kw` patch rows of channel `c`.
    @inline(__always)
    static func unfoldChannel(_ c: Int, _ image: UnsafePointer<Float>, _ g: ConvolutionGeometry, outputRows: Range<Int>,
                              into cols: UnsafeMutablePointer<Float>) {
        let (n, s, ph, pw, w) = (g.batch, g.stride, g.paddingHeight, g.paddingWidth, g.outWidth)
        let rowLength = w &* n
        let plane = image + c &* g.inHeight &* g.inWidth &* n
        let positions = outputRows.count &* rowLength
        forEachTap(of: c, g) { row, ki, kj, rows, columns in
            let destination = cols + row &* positions
            for oh in outputRows {
                let d = destination + (oh &- outputRows.lowerBound) &* rowLength
                guard rows.contains(oh), !columns.isEmpty else { d.update(repeating: 0, count: rowLength); continue }
                if columns.lowerBound > 0 { d.update(repeating: 0, count: columns.lowerBound &* n) }
                if columns.upperBound < w { (d + columns.upperBound &* n).update(repeating: 0, count: (w &- columns.upperBound) &* n) }
                let line = plane + ((oh &* s &- ph &+ ki) &* g.inWidth &+ columns.lowerBound &* s &- pw &+ kj) &* n
                if s == 1 {
                    (d + columns.lowerBound &* n).update(from: line, count: columns.count &* n)
                } else {
                    var from = line
                    for ow in columns { (d + ow &* n).update(from: from, count: n); from += s &* n }
                }
            }
        }
    }

    /// Clears channel `c`'s plane and adds its `kh·kw` patch rows into it.
    @inline(__always)
    static func foldChannel(_ c: Int, _ cols: UnsafePointer<Float>, _ g: ConvolutionGeometry, into image: UnsafeMutablePointer<Float>) {
        let (n, s, ph, pw, w) = (g.batch, g.stride, g.paddingHeight, g.paddingWidth, g.outWidth)
        let rowLength = w &* n, planeSize = g.inHeight &* g.inWidth &* n
        let plane = image + c &* planeSize
        plane.update(repeating: 0, count: planeSize)
        forEachTap(of: c, g) { row, ki, kj, rows, columns in
            if columns.isEmpty { return }
            let source = cols + row &* g.positions
            for oh in rows {
                let from = source + oh &* rowLength + columns.lowerBound &* n
                let line = plane + ((oh &* s &- ph &+ ki) &* g.inWidth &+ columns.lowerBound &* s &- pw &+ kj) &* n
                if s == 1 {
                    add(from, into: line, count: columns.count &* n)
                } else {
                    for i in 0..<columns.count { add(from + i &* n, into: line + i &* s &* n, count: n) }
                }
            }
        }
    }

    @inline(__always)
    static func add(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { y[i] += x[i] }
    }
}

extension Tensor {
    /// Unfolds `image [N, C, H, W]` into its patch matrix `[C·kh·kw, oh·ow·N]` (im2col), so that a
    /// convolution over the whole batch is one GEMM.
    public static func unfold(_ image: Tensor, _ g: ConvolutionGeometry) -> Tensor {
        precondition(image.shape == [g.batch, g.channels, g.inHeight, g.inWidth], "unfold: image \(image.shape) does not fit \(g)")
        let batchInnermost = image.channelMajor
        var cols = Tensor(uninitializedShape: [g.patchSize, g.positions])
        batchInnermost.withUnsafeBufferPointer { x in cols.withUnsafeMutableBufferPointer { ConvolutionKernels.im2col(batchInnermost: x.baseAddress!, g, into: $0.baseAddress!) } }
        return cols
    }

    /// Folds a patch matrix `[C·kh·kw, oh·ow·N]` back into `[N, C, H, W]`, summing where patches
    /// overlap (col2im): the adjoint of `unfold`.
    public static func fold(_ cols: Tensor, _ g: ConvolutionGeometry) -> Tensor {
        precondition(cols.shape == [g.patchSize, g.positions], "fold: columns \(cols.shape) do not fit \(g)")
        var batchInnermost = Tensor(uninitializedShape: [g.channels, g.inHeight * g.inWidth * g.batch])
        cols.withUnsafeBufferPointer { c in batchInnermost.withUnsafeMutableBufferPointer { ConvolutionKernels.col2im(c.baseAddress!, g, batchInnermost: $0.baseAddress!) } }
        return batchInnermost.batchMajor([g.batch, g.channels, g.inHeight, g.inWidth])
    }

    /// `[N, C, …]` → `[C, ∏…·N]`, the sample innermost: the layout in which a convolution's
    /// channels are GEMM rows and its positions (pixel, sample) are GEMM columns.
    public var channelMajor: Tensor {
        precondition(rank >= 2, "channelMajor needs [N, C, …], got \(shape)")
        let (n, c) = (shape[0], shape[1])
        var out = Tensor(uninitializedShape: [c, count / max(1, c)])
        withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { ConvolutionKernels.transpose(x.baseAddress!, rows: n, columns: count / max(1, n), into: $0.baseAddress!) }
        }
        return out
    }

    /// `[C, ∏…·N]` → `batchShape` (`[N, C, …]`): the inverse of `channelMajor`.
    public func batchMajor(_ batchShape: [Int]) -> Tensor {
        let (n, c) = (batchShape[0], batchShape[1])
        precondition(rank == 2 && shape[0] == c && batchShape.reduce(1, *) == count, "batchMajor: \(shape) cannot become \(batchShape)")
        var out = Tensor(uninitializedShape: batchShape)
        withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { ConvolutionKernels.transpose(x.baseAddress!, rows: count / max(1, n), columns: n, into: $0.baseAddress!) }
        }
        return out
    }

    /// The geometry of `conv2d(input, weight)`: checks that the two fit and the output is not empty.
    public static func convolutionGeometry(input: [Int], weight: [Int], stride: Int, padding: Int) -> ConvolutionGeometry {
        convolutionGeometry(input: input, weight: weight, stride: stride, paddingHeight: padding, paddingWidth: padding)
    }

    public static func convolutionGeometry(input: [Int], weight: [Int], stride: Int, paddingHeight: Int, paddingWidth: Int) -> ConvolutionGeometry {
        precondition(input.count == 4 && weight.count == 4 && input[1] == weight[1],
                     "conv2d: input \(input) and weight \(weight) do not fit")
        let g = ConvolutionGeometry(batch: input[0], channels: input[1], inHeight: input[2], inWidth: input[3],
                                    kernelHeight: weight[2], kernelWidth: weight[3], stride: stride, paddingHeight: paddingHeight, paddingWidth: paddingWidth)
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
