import GANKitTensor

// Pooling and resizing, as pairs of linear maps that are each other's adjoint (like unfold and
// fold): average pooling and its adjoint, bilinear resizing and its adjoint, and, for max pooling,
// a gather at the maxima found by the forward pass and the scatter that is its adjoint. Each
// backward rule is the other map of its pair, so the ops are closed under differentiation and a
// gradient penalty can be taken through them (double backward); max pooling's maxima are fixed
// by the forward pass, as PyTorch's are.

extension Variable {
    /// PyTorch's `F.max_pool2d(x, kernel, stride, padding)` of `[N, C, H, W]` (floor rule;
    /// padding never wins). The gradient goes to the first maximum of each window.
    public func maxPool2d(kernel: Int, stride: Int, padding: Int = 0) -> Variable {
        let g = PoolingGeometry(batchMajor: shape, kernelHeight: kernel, kernelWidth: kernel, stride: stride, padding: padding)
        let (values, argmax) = value.maxPooled2d(g)
        let inputShape = shape
        return Variable.record(values, [self]) { h, _ in [h.scatteredAdd(at: argmax, shape: inputShape)] }
    }

    /// `out[i] = self[indices[i]]` (flat indices), shaped `shape`.
    public func gathered(at indices: [Int32], shape outShape: [Int]) -> Variable {
        let inputShape = shape
        return Variable.record(value.gathered(at: indices, shape: outShape), [self]) { h, _ in [h.scatteredAdd(at: indices, shape: inputShape)] }
    }

    /// Zeros of `shape` with `self[i]` added at flat index `indices[i]`: the adjoint of `gathered`.
    public func scatteredAdd(at indices: [Int32], shape outShape: [Int]) -> Variable {
        let inputShape = shape
        return Variable.record(value.scatteredAdd(at: indices, shape: outShape), [self]) { h, _ in [h.gathered(at: indices, shape: inputShape)] }
    }

    /// PyTorch's `F.avg_pool2d(x, kernel, stride, padding, count_include_pad=…)` of `[N, C, H, W]`.
    /// pytorch-fid's FID Inception blocks use `countIncludePad: false`; torchvision's use `true`.
    public func avgPool2d(kernel: Int, stride: Int, padding: Int = 0, countIncludePad: Bool = true) -> Variable {
        averagePooled(PoolingGeometry(batchMajor: shape, kernelHeight: kernel, kernelWidth: kernel, stride: stride, padding: padding),
                      countIncludePad: countIncludePad)
    }

    /// PyTorch's `F.adaptive_avg_pool2d(x, 1)`: the mean of each channel, `[N, C, H, W]` → `[N, C, 1, 1]`.
    public func adaptiveAvgPool2d() -> Variable {
        precondition(rank == 4, "adaptiveAvgPool2d expects [N, C, H, W], got \(shape)")
        return averagePooled(PoolingGeometry(batchMajor: shape, kernelHeight: shape[2], kernelWidth: shape[3], stride: 1, padding: 0),
                             countIncludePad: true)
    }

    func averagePooled(_ g: PoolingGeometry, countIncludePad: Bool) -> Variable {
        Variable.record(value.averagePooled2d(g, countIncludePad: countIncludePad), [self]) { h, _ in
            [h.averagePooledAdjoint(g, countIncludePad: countIncludePad)]
        }
    }

    /// The adjoint of average pooling (its input gradient for output gradient `self`).
    func averagePooledAdjoint(_ g: PoolingGeometry, countIncludePad: Bool) -> Variable {
        Variable.record(value.averagePooled2dAdjoint(g, countIncludePad: countIncludePad), [self]) { h, _ in
            [h.averagePooled(g, countIncludePad: countIncludePad)]
        }
    }

    /// `[N, C, H, W]` → `[N, C, height, width]`, as PyTorch's
    /// `F.interpolate(x, size=(height, width), mode='bilinear', align_corners=False)`.
    public func resizedBilinear(height: Int, width: Int) -> Variable {
        let (h0, w0) = (shape[2], shape[3])
        return Variable.record(value.resizedBilinear(height: height, width: width), [self]) { g, _ in
            [g.resizedBilinearAdjoint(height: h0, width: w0)]
        }
    }

    /// The adjoint of `resizedBilinear` from `height × width` (its input gradient).
    public func resizedBilinearAdjoint(height: Int, width: Int) -> Variable {
        let (h1, w1) = (shape[2], shape[3])
        return Variable.record(value.resizedBilinearAdjoint(height: height, width: width), [self]) { g, _ in
            [g.resizedBilinear(height: h1, width: w1)]
        }
    }
}
