import GANKitTensor

/// Stochastic gradient descent with PyTorch's momentum rule: the buffer starts as the first
/// gradient, then `b ← μb + g`; step `lr · b` (or `lr · (g + μb)` with Nesterov).
public struct SGD: SlotOptimizer {
    public var learningRate: Float
    public var momentum: Float
    public var nesterov: Bool
    public var weightDecay: Float
    public internal(set) var step = 0
    var slots = OptimizerSlots(slotNames: ["momentum_buffer"])

    public init(learningRate: Float, momentum: Float = 0, nesterov: Bool = false, weightDecay: Float = 0) {
        self.learningRate = learningRate
        self.momentum = momentum
        self.nesterov = nesterov
        self.weightDecay = weightDecay
    }

    public mutating func update(_ module: Module, gradients: [String: Tensor]) {
        step += 1
        let (lr, mom, wd, nesterov) = (learningRate, momentum, weightDecay, nesterov)
        module.updateParameters(with: gradients) { name, p, gradient in
            let first = !slots.has(name, "momentum_buffer")
            var buffer = mom > 0 ? slots.take(name, "momentum_buffer", shape: gradient.shape) : Tensor.zeros([0])
            gradient.withUnsafeBufferPointer { g in
                buffer.withUnsafeMutableBufferPointer { b in
                    p.withUnsafeMutableBufferPointer { p in
                        for i in 0..<p.count {
                            let gi = wd == 0 ? g[i] : g[i] + wd * p[i]
                            if mom > 0 {
                                b[i] = first ? gi : mom * b[i] + gi
                                p[i] -= lr * (nesterov ? gi + mom * b[i] : b[i])
                            } else {
                                p[i] -= lr * gi
                            }
                        }
                    }
                }
            }
            if mom > 0 { slots.put(name, "momentum_buffer", buffer) }
        }
    }
}
