import GANKitTensor

/// RMSProp with PyTorch's rule: `v ← αv + (1−α)g²`, step `lr · g / (√v + ε)`, optional momentum
/// and L2 weight decay. WGAN with weight clipping uses it (lr 5e-5).
public struct RMSProp: SlotOptimizer {
    public var learningRate: Float
    public var alpha: Float
    public var epsilon: Float
    public var momentum: Float
    public var weightDecay: Float
    public internal(set) var step = 0
    var slots = OptimizerSlots(slotNames: ["square_avg", "momentum_buffer"])

    public init(learningRate: Float = 1e-2, alpha: Float = 0.99, epsilon: Float = 1e-8, momentum: Float = 0, weightDecay: Float = 0) {
        self.learningRate = learningRate
        self.alpha = alpha
        self.epsilon = epsilon
        self.momentum = momentum
        self.weightDecay = weightDecay
    }

    public mutating func update(_ module: Module, gradients: [String: Tensor]) {
        step += 1
        let (lr, a, eps, mom, wd) = (learningRate, alpha, epsilon, momentum, weightDecay)
        module.updateParameters(with: gradients) { name, p, gradient in
            var v = slots.take(name, "square_avg", shape: gradient.shape)
            var buffer = mom > 0 ? slots.take(name, "momentum_buffer", shape: gradient.shape) : Tensor.zeros([0])
            gradient.withUnsafeBufferPointer { g in
                v.withUnsafeMutableBufferPointer { v in
                    buffer.withUnsafeMutableBufferPointer { b in
                        p.withUnsafeMutableBufferPointer { p in
                            for i in 0..<p.count {
                                let gi = wd == 0 ? g[i] : g[i] + wd * p[i]
                                v[i] = a * v[i] + (1 - a) * gi * gi
                                let scaled = gi / (v[i].squareRoot() + eps)
                                if mom > 0 {
                                    b[i] = mom * b[i] + scaled
                                    p[i] -= lr * b[i]
                                } else {
                                    p[i] -= lr * scaled
                                }
                            }
                        }
                    }
                }
            }
            slots.put(name, "square_avg", v)
            if mom > 0 { slots.put(name, "momentum_buffer", buffer) }
        }
    }
}
