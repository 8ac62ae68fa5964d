import GANKitTensor

/// A batch of feature maps in the batch-innermost layout `[C, H, W, N]` (a tensor `[C, H·W·N]`),
/// the layout of GANKit's convolution path: a 1×1 convolution is then one GEMM on it, a larger one
/// a GEMM on its unfolded patches, pooling runs over whole runs of samples, and joining branches
/// along the channels is writing each branch at its own row offset.
struct FeatureMap {
    var channels: Int, height: Int, width: Int, batch: Int
    var values: Tensor

    init(channels: Int, height: Int, width: Int, batch: Int) {
        self.channels = channels; self.height = height; self.width = width; self.batch = batch
        values = Tensor(uninitializedShape: [channels, height * width * batch])
    }

    /// Floats per channel.
    var plane: Int { height * width * batch }
}

/// pytorch-fid's `BasicConv2d` (convolution without bias, BatchNorm with ε = 0.001 in inference
/// mode, ReLU) with the BatchNorm folded into the convolution when the weights are loaded:
/// w′ = w·γ/√(σ² + ε), b′ = β − μ·γ/√(σ² + ε), computed in double precision. The result differs
/// from PyTorch's unfolded arithmetic only by float rounding.
struct FoldedConvolution {
    let name: String
    let inChannels: Int, outChannels: Int
    let kernelHeight: Int, kernelWidth: Int
    let stride: Int, paddingHeight: Int, paddingWidth: Int
    /// `[out, in·kh·kw]`, BatchNorm's scale folded in.
    let weight: Tensor
    let bias: [Float]

    /// The tensors of `BasicConv2d` `name` (`name.conv.weight`, `name.bn.weight`, `.bn.bias`,
    /// `.bn.running_mean`, `.bn.running_var`), checked for presence and shape.
    init(_ name: String, _ weights: InceptionWeights, in inChannels: Int, out outChannels: Int, kernel: (Int, Int),
         stride: Int = 1, padding: (Int, Int) = (0, 0)) throws(InceptionError) {
        self.name = name
        self.inChannels = inChannels; self.outChannels = outChannels
        (kernelHeight, kernelWidth) = kernel
        self.stride = stride
        (paddingHeight, paddingWidth) = padding
        let w = try weights.tensor("\(name).conv.weight", [outChannels, inChannels, kernel.0, kernel.1])
        let gamma = try weights.tensor("\(name).bn.weight", [outChannels]).scalars
        let beta = try weights.tensor("\(name).bn.bias", [outChannels]).scalars
        let mean = try weights.tensor("\(name).bn.running_mean", [outChannels]).scalars
        let variance = try weights.tensor("\(name).bn.running_var", [outChannels]).scalars
        let patch = inChannels * kernel.0 * kernel.1
        var folded = Tensor(uninitializedShape: [outChannels, patch])
        var bias = [Float](repeating: 0, count: outChannels)
        w.withUnsafeBufferPointer { source in
            folded.withUnsafeMutableBufferPointer { target in
                for o in 0..<outChannels {
                    let scale = Double(gamma[o]) / (Double(variance[o]) + 0.001).squareRoot()
                    for i in 0..<patch { target[o * patch + i] = Float(Double(source[o * patch + i]) * scale) }
                    bias[o] = Float(Double(beta[o]) - Double(mean[o]) * scale)
                }
            }
        }
        weight = folded
        self.bias = bias
    }

    func geometry(_ x: FeatureMap) -> ConvolutionGeometry {
        precondition(x.channels == inChannels, "\(name): \(x.channels) channels in, expected \(inChannels)")
        return ConvolutionGeometry(batch: x.batch, channels: x.channels, inHeight: x.height, inWidth: x.width,
                                   kernelHeight: kernelHeight, kernelWidth: kernelWidth, stride: stride,
                                   paddingHeight: paddingHeight, paddingWidth: paddingWidth)
    }

    func callAsFunction(_ x: FeatureMap) -> FeatureMap {
        let g = geometry(x)
        var out = FeatureMap(channels: outChannels, height: g.outHeight, width: g.outWidth, batch: x.batch)
        out.values.withUnsafeMutableBufferPointer { apply(x, into: $0.baseAddress!) }
        return out
    }

    /// At most this many floats of unfolded patches at once: a band of output rows is unfolded and
    /// multiplied at a time, so the first layers (1.2 GB of patches for 50 images) stay in 32 MB.
    static let patchBudget = 8 << 20

    /// Writes relu(conv(x) + b′) as `[out, oh·ow·N]` at `output` (a block's output at its branch's
    /// channel offset).
    func apply(_ x: FeatureMap, into output: UnsafeMutablePointer<Float>) {
        let g = geometry(x)
        let positions = g.positions, rowColumns = g.outWidth * g.batch
        weight.withUnsafeBufferPointer { w in
            x.values.withUnsafeBufferPointer { input in
                if kernelHeight == 1 && kernelWidth == 1 && stride == 1 && paddingHeight == 0 && paddingWidth == 0 {
                    // A 1×1 convolution is a product with the feature map itself: no unfolding.
                    BLAS.gemm(transposeA: false, transposeB: false, m: outChannels, n: positions, k: inChannels,
                              a: w.baseAddress!, lda: inChannels, b: input.baseAddress!, ldb: positions, c: output, ldc: positions)
                    addBiasAndRectify(output, columns: 0..<positions, rowLength: positions)
                    return
                }
                let band = max(1, min(g.outHeight, Self.patchBudget / max(1, g.patchSize * rowColumns)))
                var patches = Tensor(uninitializedShape: [g.patchSize * band * rowColumns])
                patches.withUnsafeMutableBufferPointer { cols in
                    var row = 0
                    while row < g.outHeight {
                        let rows = row..<min(g.outHeight, row + band)
                        let columns = rows.count * rowColumns, first = row * rowColumns
                        ConvolutionKernels.im2col(batchInnermost: input.baseAddress!, g, outputRows: rows, into: cols.baseAddress!)
                        BLAS.gemm(transposeA: false, transposeB: false, m: outChannels, n: columns, k: g.patchSize,
                                  a: w.baseAddress!, lda: g.patchSize, b: cols.baseAddress!, ldb: columns, c: output + first, ldc: positions)
                        addBiasAndRectify(output, columns: first..<(first + columns), rowLength: positions)
                        row = rows.upperBound
                    }
                }
            }
        }
    }

    /// y = max(y + b′, 0) on `columns` of every output row, while the band is still in cache.
    private func addBiasAndRectify(_ output: UnsafeMutablePointer<Float>, columns: Range<Int>, rowLength: Int) {
        bias.withUnsafeBufferPointer { b in
            Parallel.forEachChunk(of: outChannels, grain: Parallel.grain(floatsPerItem: columns.count)) { rows in
                for o in rows {
                    let line = output + o * rowLength + columns.lowerBound, shift = b[o]
                    for j in 0..<columns.count { line[j] = max(line[j] + shift, 0) }
                }
            }
        }
    }
}
