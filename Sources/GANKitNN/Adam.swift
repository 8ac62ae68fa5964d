import Foundation
import GANKitTensor

/// Adam (Kingma & Ba) with PyTorch's update rule: bias-corrected moments and L2 weight decay
/// added to the gradient (not AdamW's decoupled decay).
public struct Adam: Optimizer {
    public var learningRate: Float
    public var beta1: Float
    public var beta2: Float
    public var epsilon: Float
    public var weightDecay: Float
    public private(set) var step = 0
    private var slots = OptimizerSlots(slotNames: ["exp_avg", "exp_avg_sq"])

    public init(learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
    }

    public var state: [String: Tensor] { slots.state }

    public mutating func restore(state: [String: Tensor], step: Int) throws(OptimizerError) {
        try slots.restore(state)
        self.step = step
    }

    public mutating func update(_ module: Module, gradients: [String: Tensor]) {
        step += 1
        // Bias corrections in double precision, as PyTorch computes them in Python floats.
        let t = Double(step)
        let stepSize = Float(Double(learningRate) / (1 - pow(Double(beta1), t)))
        let correction2 = Float((1 - pow(Double(beta2), t)).squareRoot())
        let (b1, b2, eps, wd) = (beta1, beta2, epsilon, weightDecay)
        for (name, parameter) in module.namedParameters {
            guard let gradient = gradients[name] else { continue }
            precondition(gradient.shape == parameter.value.shape, "gradient of \(name) has shape \(gradient.shape)")
            var m = slots.take(name, "exp_avg", shape: gradient.shape)
            var v = slots.take(name, "exp_avg_sq", shape: gradient.shape)
            var p = parameter.value
            parameter.value = Tensor.zeros([])  // drop the extra reference so the update is in place
            gradient.withUnsafeBufferPointer { g in
                m.withUnsafeMutableBufferPointer { m in
                    v.withUnsafeMutableBufferPointer { v in
                        p.withUnsafeMutableBufferPointer { p in
                            for i in 0..<p.count {
                                let gi = wd == 0 ? g[i] : g[i] + wd * p[i]
                                m[i] = b1 * m[i] + (1 - b1) * gi
                                v[i] = b2 * v[i] + (1 - b2) * gi * gi
                                p[i] -= stepSize * m[i] / (v[i].squareRoot() / correction2 + eps)
                            }
                        }
                    }
                }
            }
            parameter.value = p
            slots.put(name, "exp_avg", m)
            slots.put(name, "exp_avg_sq", v)
        }
    }
}
