import GANKitTensor

extension Variable {
    /// Training-mode batch normalisation of `[N, C]` or `[N, C, H, W]` with per-channel `scale`
    /// and `shift`; also returns the batch mean and biased variance (for running statistics).
    ///
    /// One fused kernel forward and backward. When the gradient itself must be differentiable
    /// (`createGraph`), the backward differentiates the same function written with elementary
    /// operations instead, so double backward stays exact.
    public static func batchNormalization(_ x: Variable, scale: Variable, shift: Variable, epsilon: Float)
        -> (output: Variable, mean: [Float], variance: [Float]) {
        let (mean, variance) = BatchNormKernels.statistics(x.value)
        let inverseStd = variance.map { 1 / ($0 + epsilon).squareRoot() }
        let y = BatchNormKernels.normalize(x.value, mean: mean, inverseStd: inverseStd, scale: scale.value, shift: shift.value)
        let output = record(y, [x, scale, shift]) { g, needed in
            if Autodiff.isRecording {
                let composed = composedBatchNormalization(x, scale: scale, shift: shift, epsilon: epsilon)
                let grads = Autodiff.gradients(of: composed, wrt: [x, scale, shift], upstream: g, createGraph: true)
                return zip(grads, needed).map { $1 ? $0 : nil }
            }
            let grads = BatchNormKernels.backward(g.value, x: x.value, mean: mean, inverseStd: inverseStd, scale: scale.value)
            return [needed[0] ? Variable(grads.input) : nil, needed[1] ? Variable(grads.scale) : nil, needed[2] ? Variable(grads.shift) : nil]
        }
        return (output, mean, variance)
    }

    /// The same function from elementary differentiable operations.
    static func composedBatchNormalization(_ x: Variable, scale: Variable, shift: Variable, epsilon: Float) -> Variable {
        let axes = x.rank == 2 ? [0] : [0] + Array(2..<x.rank)
        let statShape = [1, x.shape[1]] + [Int](repeating: 1, count: x.rank - 2)
        let mean = x.mean(axes: axes, keepingDimensions: true)
        let centered = x - mean
        let variance = centered.square().mean(axes: axes, keepingDimensions: true)
        return centered / (variance + epsilon).sqrt() * scale.reshaped(statShape) + shift.reshaped(statShape)
    }
}
