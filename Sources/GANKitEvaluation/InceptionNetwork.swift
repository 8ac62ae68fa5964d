import Foundation
import GANKitTensor

/// The Inception-v3 that FID and the Inception score are computed with, exactly as pytorch-fid
/// 0.3.0 builds it: `InceptionV3([3], resize_input=True, normalize_input=True,
/// use_fid_inception=True)`, the TensorFlow graph of Heusel et al. (2017) ported to PyTorch.
///
/// Images are resized to 299×299 (bilinear, `align_corners=False`), scaled from [0, 1] to
/// [−1, 1], and run through `Conv2d_1a_3x3` … `Mixed_7c` (the FID variants of blocks A, C and E,
/// BatchNorm with ε = 0.001 in inference mode) to the 2048-d average-pooled features; the `fc`
/// layer of the FID weights (2048 → 1008) gives the logits of the Inception score.
///
/// Inference only, on GANKit's convolution path (BLAS GEMMs on unfolded patches, 1×1
/// convolutions straight on the feature maps, BatchNorm folded into the weights) and in batches
/// of `batchSize`; no graph is recorded.
public final class InceptionNetwork: @unchecked Sendable {
    /// The range of the pixel values handed to `features`.
    public enum PixelRange: Sendable {
        /// [0, 1], what pytorch-fid reads.
        case unit
        /// [−1, 1], what GANKit's image generators write: mapped to [0, 1] first, by (x + 1)/2.
        case symmetric
    }

    /// What the network computes for a set of images.
    public struct Features: Sendable {
        /// `[N, 2048]`: the average-pooled features FID compares.
        public var pool: Tensor
        /// `[N, 1008]`: the `fc` layer's logits (nil when the weights have no `fc`).
        public var logits: Tensor?
    }

    public static let poolDimension = 2048
    public static let classCount = 1008
    /// pytorch-fid's input side.
    public static let inputSide = 299

    let stem: [FoldedConvolution]   // Conv2d_1a_3x3, 2a, 2b; max pool; 3b, 4a; max pool
    let mixed5: [InceptionBlockA]
    let mixed6a: InceptionBlockB
    let mixed6: [InceptionBlockC]
    let mixed7a: InceptionBlockD
    let mixed7: [InceptionBlockE]
    /// `[1008, 2048]` and `[1008]`, when present.
    let classifier: (weight: Tensor, bias: Tensor)?
    public let weightsFile: String

    /// Builds the network from `weights`, checking every tensor's presence and shape.
    public init(weights w: InceptionWeights) throws(InceptionError) {
        stem = [
            try FoldedConvolution("Conv2d_1a_3x3", w, in: 3, out: 32, kernel: (3, 3), stride: 2),
            try FoldedConvolution("Conv2d_2a_3x3", w, in: 32, out: 32, kernel: (3, 3)),
            try FoldedConvolution("Conv2d_2b_3x3", w, in: 32, out: 64, kernel: (3, 3), padding: (1, 1)),
            try FoldedConvolution("Conv2d_3b_1x1", w, in: 64, out: 80, kernel: (1, 1)),
            try FoldedConvolution("Conv2d_4a_3x3", w, in: 80, out: 192, kernel: (3, 3)),
        ]
        mixed5 = [
            try InceptionBlockA("Mixed_5b", w, in: 192, poolFeatures: 32),
            try InceptionBlockA("Mixed_5c", w, in: 256, poolFeatures: 64),
            try InceptionBlockA("Mixed_5d", w, in: 288, poolFeatures: 64),
        ]
        mixed6a = try InceptionBlockB("Mixed_6a", w, in: 288)
        mixed6 = [
            try InceptionBlockC("Mixed_6b", w, in: 768, channels7x7: 128),
            try InceptionBlockC("Mixed_6c", w, in: 768, channels7x7: 160),
            try InceptionBlockC("Mixed_6d", w, in: 768, channels7x7: 160),
            try InceptionBlockC("Mixed_6e", w, in: 768, channels7x7: 192),
        ]
        mixed7a = try InceptionBlockD("Mixed_7a", w, in: 768)
        mixed7 = [
            try InceptionBlockE("Mixed_7b", w, in: 1280, maxPool: false),
            try InceptionBlockE("Mixed_7c", w, in: 2048, maxPool: true),
        ]
        if w.hasClassifier {
            classifier = (try w.tensor("fc.weight", [Self.classCount, Self.poolDimension]), try w.tensor("fc.bias", [Self.classCount]))
        } else {
            classifier = nil
        }
        weightsFile = w.file
    }

    /// Reads the weights from a safetensors file (see `scripts/convert-inception-weights`).
    public convenience init(contentsOf url: URL) throws(InceptionError) {
        try self.init(weights: InceptionWeights(contentsOf: url))
    }

    /// Whether the weights include the `fc` layer that the Inception score needs.
    public var hasClassifier: Bool { classifier != nil }

    /// Pool features (and logits, when the weights have `fc`) of `images` `[N, 3, H, W]`, any
    /// H × W, computed `batchSize` images at a time on `threads` threads; `progress` is told the
    /// number of images done after each batch.
    public func features(of images: Tensor, range: PixelRange, batchSize: Int = 50, threads: Int = 1,
                         progress: ((Int) -> Void)? = nil) throws(InceptionError) -> Features {
        guard images.rank == 4, images.shape[1] == 3 else { throw .badImages(shape: images.shape, reason: "expected [N, 3, H, W]") }
        guard images.shape[0] > 0, images.shape[2] > 0, images.shape[3] > 0 else { throw .badImages(shape: images.shape, reason: "no image") }
        guard batchSize > 0 else { throw .badImages(shape: images.shape, reason: "batch size \(batchSize) must be positive") }
        let n = images.shape[0]
        var pool = Tensor(uninitializedShape: [n, Self.poolDimension])
        BLAS.withThreads(threads) {
            var start = 0
            while start < n {
                let end = min(n, start + batchSize)
                let batch = images.slice(axis: 0, start..<end)
                let features = poolFeatures(ofBatch: batch, range: range)
                pool.withUnsafeMutableBufferPointer { target in
                    features.withUnsafeBufferPointer { (target.baseAddress! + start * Self.poolDimension).update(from: $0.baseAddress!, count: $0.count) }
                }
                start = end
                progress?(end)
            }
        }
        return Features(pool: pool, logits: classifier.map { fc in BLAS.withThreads(threads) { logits(pool, fc) } })
    }

    /// `[N, 2048]` → `[N, 1008]`: `pool · fc.weightᵀ + fc.bias`.
    private func logits(_ pool: Tensor, _ fc: (weight: Tensor, bias: Tensor)) -> Tensor {
        var out = Tensor.matmul(pool, fc.weight, transposeB: true)
        fc.bias.withUnsafeBufferPointer { b in
            out.withUnsafeMutableBufferPointer { y in
                for i in 0..<pool.shape[0] { for k in 0..<Self.classCount { y[i * Self.classCount + k] += b[k] } }
            }
        }
        return out
    }

    /// The logits of `images` (throws when the weights have no `fc` layer).
    public func logits(of images: Tensor, range: PixelRange, batchSize: Int = 50, threads: Int = 1) throws(InceptionError) -> Tensor {
        guard hasClassifier else { throw .noClassifier(file: weightsFile) }
        return try features(of: images, range: range, batchSize: batchSize, threads: threads).logits!
    }

    /// One batch `[n, 3, H, W]` → `[n, 2048]`.
    func poolFeatures(ofBatch images: Tensor, range: PixelRange) -> Tensor {
        var x = input(images, range: range)
        x = stem[0](x)
        x = stem[1](x)
        x = stem[2](x)
        x = FeaturePooling.max(x, stride: 2)
        x = stem[3](x)
        x = stem[4](x)
        x = FeaturePooling.max(x, stride: 2)
        for block in mixed5 { x = block(x) }
        x = mixed6a(x)
        for block in mixed6 { x = block(x) }
        x = mixed7a(x)
        for block in mixed7 { x = block(x) }
        // Adaptive average pooling to 1×1: each channel's mean over its 8×8 pixels, per sample.
        let g = PoolingGeometry(planes: x.channels, inner: x.batch, inHeight: x.height, inWidth: x.width,
                                kernelHeight: x.height, kernelWidth: x.width, stride: 1, padding: 0)
        var means = Tensor(uninitializedShape: [x.channels, x.batch])
        x.values.withUnsafeBufferPointer { source in
            means.withUnsafeMutableBufferPointer { PoolingKernels.averagePool(source.baseAddress!, g, countIncludePad: true, into: $0.baseAddress!) }
        }
        return means.transposed
    }

    /// The network's input: `[3, 299, 299, n]`, resized from the images' size and scaled to
    /// [−1, 1] in pytorch-fid's order (resize, then 2x − 1).
    func input(_ images: Tensor, range: PixelRange) -> FeatureMap {
        let (n, h, w) = (images.shape[0], images.shape[2], images.shape[3])
        var source = images.channelMajor
        if range == .symmetric {
            source.withUnsafeMutableBufferPointer { p in for i in p.indices { p[i] = (p[i] + 1) / 2 } }
        }
        let side = Self.inputSide
        var out = FeatureMap(channels: 3, height: side, width: side, batch: n)
        let g = BilinearResizeGeometry(planes: 3, inner: n, inHeight: h, inWidth: w, outHeight: side, outWidth: side)
        source.withUnsafeBufferPointer { x in
            out.values.withUnsafeMutableBufferPointer { y in
                BilinearResizeKernels.resize(x.baseAddress!, g, into: y.baseAddress!)
                for i in y.indices { y[i] = 2 * y[i] - 1 }
            }
        }
        return out
    }
}
