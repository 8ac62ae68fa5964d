import GANKitTensor

// The Inception blocks of pytorch-fid 0.3.0's FID network (`FIDInceptionA`, torchvision's
// `InceptionB`, `FIDInceptionC`, torchvision's `InceptionD`, `FIDInceptionE_1` and `_2`), in
// forward-only form on batch-innermost feature maps. Each branch writes straight into the block's
// output at its channel offset, in the order PyTorch concatenates them, so no join is copied.

/// Pooling on a feature map: max or average over 3×3 windows.
enum FeaturePooling {
    static func geometry(_ x: FeatureMap, stride: Int, padding: Int) -> PoolingGeometry {
        PoolingGeometry(planes: x.channels, inner: x.batch, inHeight: x.height, inWidth: x.width,
                        kernelHeight: 3, kernelWidth: 3, stride: stride, padding: padding)
    }

    static func output(_ x: FeatureMap, _ g: PoolingGeometry) -> FeatureMap {
        FeatureMap(channels: x.channels, height: g.outHeight, width: g.outWidth, batch: x.batch)
    }

    /// `F.max_pool2d(x, 3, stride, padding)`, written at `output`.
    static func max(_ x: FeatureMap, stride: Int, padding: Int, into output: UnsafeMutablePointer<Float>) {
        let g = geometry(x, stride: stride, padding: padding)
        x.values.withUnsafeBufferPointer { PoolingKernels.maxPool($0.baseAddress!, g, into: output) }
    }

    static func max(_ x: FeatureMap, stride: Int, padding: Int = 0) -> FeatureMap {
        var out = output(x, geometry(x, stride: stride, padding: padding))
        out.values.withUnsafeMutableBufferPointer { max(x, stride: stride, padding: padding, into: $0.baseAddress!) }
        return out
    }

    /// `F.avg_pool2d(x, 3, stride=1, padding=1, count_include_pad=False)`: TensorFlow's pooling,
    /// which the FID blocks keep.
    static func averageExcludingPadding(_ x: FeatureMap) -> FeatureMap {
        let g = geometry(x, stride: 1, padding: 1)
        var out = output(x, g)
        x.values.withUnsafeBufferPointer { source in
            out.values.withUnsafeMutableBufferPointer { PoolingKernels.averagePool(source.baseAddress!, g, countIncludePad: false, into: $0.baseAddress!) }
        }
        return out
    }
}

/// A block's output, filled branch by branch at increasing channel offsets.
struct BlockOutput {
    var map: FeatureMap
    private var filled = 0

    init(channels: Int, like x: FeatureMap, height: Int? = nil, width: Int? = nil) {
        map = FeatureMap(channels: channels, height: height ?? x.height, width: width ?? x.width, batch: x.batch)
    }

    /// Runs `conv` on `x` into the next `conv.outChannels` channels.
    mutating func append(_ conv: FoldedConvolution, _ x: FeatureMap) {
        let offset = filled * map.plane
        map.values.withUnsafeMutableBufferPointer { conv.apply(x, into: $0.baseAddress! + offset) }
        filled += conv.outChannels
    }

    /// Max-pools `x` (3×3, `stride`) into the next `x.channels` channels.
    mutating func appendMaxPool(_ x: FeatureMap, stride: Int) {
        let offset = filled * map.plane
        map.values.withUnsafeMutableBufferPointer { FeaturePooling.max(x, stride: stride, padding: 0, into: $0.baseAddress! + offset) }
        filled += x.channels
    }

    var finished: FeatureMap {
        precondition(filled == map.channels, "block filled \(filled) of \(map.channels) channels")
        return map
    }
}

/// `FIDInceptionA`: 1×1; 1×1→5×5; 1×1→3×3→3×3; average pool (padding not counted)→1×1.
struct InceptionBlockA {
    let branch1x1, branch5x5_1, branch5x5_2, branch3x3dbl_1, branch3x3dbl_2, branch3x3dbl_3, branchPool: FoldedConvolution
    let outChannels: Int

    init(_ name: String, _ w: InceptionWeights, in c: Int, poolFeatures: Int) throws(InceptionError) {
        branch1x1 = try FoldedConvolution("\(name).branch1x1", w, in: c, out: 64, kernel: (1, 1))
        branch5x5_1 = try FoldedConvolution("\(name).branch5x5_1", w, in: c, out: 48, kernel: (1, 1))
        branch5x5_2 = try FoldedConvolution("\(name).branch5x5_2", w, in: 48, out: 64, kernel: (5, 5), padding: (2, 2))
        branch3x3dbl_1 = try FoldedConvolution("\(name).branch3x3dbl_1", w, in: c, out: 64, kernel: (1, 1))
        branch3x3dbl_2 = try FoldedConvolution("\(name).branch3x3dbl_2", w, in: 64, out: 96, kernel: (3, 3), padding: (1, 1))
        branch3x3dbl_3 = try FoldedConvolution("\(name).branch3x3dbl_3", w, in: 96, out: 96, kernel: (3, 3), padding: (1, 1))
        branchPool = try FoldedConvolution("\(name).branch_pool", w, in: c, out: poolFeatures, kernel: (1, 1))
        outChannels = 64 + 64 + 96 + poolFeatures
    }

    func callAsFunction(_ x: FeatureMap) -> FeatureMap {
        var out = BlockOutput(channels: outChannels, like: x)
        out.append(branch1x1, x)
        out.append(branch5x5_2, branch5x5_1(x))
        out.append(branch3x3dbl_3, branch3x3dbl_2(branch3x3dbl_1(x)))
        out.append(branchPool, FeaturePooling.averageExcludingPadding(x))
        return out.finished
    }
}

/// torchvision's `InceptionB` (`Mixed_6a`, the grid reduction to 17×17): 3×3 stride 2;
/// 1×1→3×3→3×3 stride 2; max pool stride 2.
struct InceptionBlockB {
    let branch3x3, branch3x3dbl_1, branch3x3dbl_2, branch3x3dbl_3: FoldedConvolution
    let inChannels: Int

    init(_ name: String, _ w: InceptionWeights, in c: Int) throws(InceptionError) {
        branch3x3 = try FoldedConvolution("\(name).branch3x3", w, in: c, out: 384, kernel: (3, 3), stride: 2)
        branch3x3dbl_1 = try FoldedConvolution("\(name).branch3x3dbl_1", w, in: c, out: 64, kernel: (1, 1))
        branch3x3dbl_2 = try FoldedConvolution("\(name).branch3x3dbl_2", w, in: 64, out: 96, kernel: (3, 3), padding: (1, 1))
        branch3x3dbl_3 = try FoldedConvolution("\(name).branch3x3dbl_3", w, in: 96, out: 96, kernel: (3, 3), stride: 2)
        inChannels = c
    }

    func callAsFunction(_ x: FeatureMap) -> FeatureMap {
        let side = (x.height - 3) / 2 + 1, width = (x.width - 3) / 2 + 1
        var out = BlockOutput(channels: 384 + 96 + inChannels, like: x, height: side, width: width)
        out.append(branch3x3, x)
        out.append(branch3x3dbl_3, branch3x3dbl_2(branch3x3dbl_1(x)))
        out.appendMaxPool(x, stride: 2)
        return out.finished
    }
}

/// `FIDInceptionC`: 1×1; 1×1→1×7→7×1; 1×1→7×1→1×7→7×1→1×7; average pool (padding not counted)→1×1.
struct InceptionBlockC {
    let branch1x1, branch7x7_1, branch7x7_2, branch7x7_3: FoldedConvolution
    let branch7x7dbl: [FoldedConvolution]
    let branchPool: FoldedConvolution

    init(_ name: String, _ w: InceptionWeights, in c: Int, channels7x7 c7: Int) throws(InceptionError) {
        branch1x1 = try FoldedConvolution("\(name).branch1x1", w, in: c, out: 192, kernel: (1, 1))
        branch7x7_1 = try FoldedConvolution("\(name).branch7x7_1", w, in: c, out: c7, kernel: (1, 1))
        branch7x7_2 = try FoldedConvolution("\(name).branch7x7_2", w, in: c7, out: c7, kernel: (1, 7), padding: (0, 3))
        branch7x7_3 = try FoldedConvolution("\(name).branch7x7_3", w, in: c7, out: 192, kernel: (7, 1), padding: (3, 0))
        branch7x7dbl = [
            try FoldedConvolution("\(name).branch7x7dbl_1", w, in: c, out: c7, kernel: (1, 1)),
            try FoldedConvolution("\(name).branch7x7dbl_2", w, in: c7, out: c7, kernel: (7, 1), padding: (3, 0)),
            try FoldedConvolution("\(name).branch7x7dbl_3", w, in: c7, out: c7, kernel: (1, 7), padding: (0, 3)),
            try FoldedConvolution("\(name).branch7x7dbl_4", w, in: c7, out: c7, kernel: (7, 1), padding: (3, 0)),
            try FoldedConvolution("\(name).branch7x7dbl_5", w, in: c7, out: 192, kernel: (1, 7), padding: (0, 3)),
        ]
        branchPool = try FoldedConvolution("\(name).branch_pool", w, in: c, out: 192, kernel: (1, 1))
    }

    func callAsFunction(_ x: FeatureMap) -> FeatureMap {
        var out = BlockOutput(channels: 768, like: x)
        out.append(branch1x1, x)
        out.append(branch7x7_3, branch7x7_2(branch7x7_1(x)))
        out.append(branch7x7dbl[4], branch7x7dbl[0..<4].reduce(x) { $1($0) })
        out.append(branchPool, FeaturePooling.averageExcludingPadding(x))
        return out.finished
    }
}

/// torchvision's `InceptionD` (`Mixed_7a`, the grid reduction to 8×8): 1×1→3×3 stride 2;
/// 1×1→1×7→7×1→3×3 stride 2; max pool stride 2.
struct InceptionBlockD {
    let branch3x3_1, branch3x3_2: FoldedConvolution
    let branch7x7x3: [FoldedConvolution]
    let inChannels: Int

    init(_ name: String, _ w: InceptionWeights, in c: Int) throws(InceptionError) {
        branch3x3_1 = try FoldedConvolution("\(name).branch3x3_1", w, in: c, out: 192, kernel: (1, 1))
        branch3x3_2 = try FoldedConvolution("\(name).branch3x3_2", w, in: 192, out: 320, kernel: (3, 3), stride: 2)
        branch7x7x3 = [
            try FoldedConvolution("\(name).branch7x7x3_1", w, in: c, out: 192, kernel: (1, 1)),
            try FoldedConvolution("\(name).branch7x7x3_2", w, in: 192, out: 192, kernel: (1, 7), padding: (0, 3)),
            try FoldedConvolution("\(name).branch7x7x3_3", w, in: 192, out: 192, kernel: (7, 1), padding: (3, 0)),
            try FoldedConvolution("\(name).branch7x7x3_4", w, in: 192, out: 192, kernel: (3, 3), stride: 2),
        ]
        inChannels = c
    }

    func callAsFunction(_ x: FeatureMap) -> FeatureMap {
        let side = (x.height - 3) / 2 + 1, width = (x.width - 3) / 2 + 1
        var out = BlockOutput(channels: 320 + 192 + inChannels, like: x, height: side, width: width)
        out.append(branch3x3_2, branch3x3_1(x))
        out.append(branch7x7x3[3], branch7x7x3[0..<3].reduce(x) { $1($0) })
        out.appendMaxPool(x, stride: 2)
        return out.finished
    }
}

/// `FIDInceptionE_1` and `_2`: 1×1; 1×1→(1×3 ‖ 3×1); 1×1→3×3→(1×3 ‖ 3×1); pool→1×1. The first
/// averages (padding not counted); the second max-pools, as the TensorFlow graph the FID weights
/// come from does.
struct InceptionBlockE {
    let branch1x1, branch3x3_1, branch3x3_2a, branch3x3_2b: FoldedConvolution
    let branch3x3dbl_1, branch3x3dbl_2, branch3x3dbl_3a, branch3x3dbl_3b, branchPool: FoldedConvolution
    let maxPool: Bool

    init(_ name: String, _ w: InceptionWeights, in c: Int, maxPool: Bool) throws(InceptionError) {
        branch1x1 = try FoldedConvolution("\(name).branch1x1", w, in: c, out: 320, kernel: (1, 1))
        branch3x3_1 = try FoldedConvolution("\(name).branch3x3_1", w, in: c, out: 384, kernel: (1, 1))
        branch3x3_2a = try FoldedConvolution("\(name).branch3x3_2a", w, in: 384, out: 384, kernel: (1, 3), padding: (0, 1))
        branch3x3_2b = try FoldedConvolution("\(name).branch3x3_2b", w, in: 384, out: 384, kernel: (3, 1), padding: (1, 0))
        branch3x3dbl_1 = try FoldedConvolution("\(name).branch3x3dbl_1", w, in: c, out: 448, kernel: (1, 1))
        branch3x3dbl_2 = try FoldedConvolution("\(name).branch3x3dbl_2", w, in: 448, out: 384, kernel: (3, 3), padding: (1, 1))
        branch3x3dbl_3a = try FoldedConvolution("\(name).branch3x3dbl_3a", w, in: 384, out: 384, kernel: (1, 3), padding: (0, 1))
        branch3x3dbl_3b = try FoldedConvolution("\(name).branch3x3dbl_3b", w, in: 384, out: 384, kernel: (3, 1), padding: (1, 0))
        branchPool = try FoldedConvolution("\(name).branch_pool", w, in: c, out: 192, kernel: (1, 1))
        self.maxPool = maxPool
    }

    func callAsFunction(_ x: FeatureMap) -> FeatureMap {
        var out = BlockOutput(channels: 2048, like: x)
        out.append(branch1x1, x)
        let a = branch3x3_1(x)
        out.append(branch3x3_2a, a)
        out.append(branch3x3_2b, a)
        let b = branch3x3dbl_2(branch3x3dbl_1(x))
        out.append(branch3x3dbl_3a, b)
        out.append(branch3x3dbl_3b, b)
        out.append(branchPool, maxPool ? FeaturePooling.max(x, stride: 1, padding: 1) : FeaturePooling.averageExcludingPadding(x))
        return out.finished
    }
}
