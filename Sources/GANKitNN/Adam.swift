import CVectorKernels
import Foundation
import GANKitTensor

/// Adam (Kingma & Ba) with PyTorch's update rule: bias-corrected moments and L2 weight decay
/// added to the gradient (not AdamW's decoupled decay).
public struct Adam: SlotOptimizer {
    public var learningRate: Float
    public var beta1: Float
    public var beta2: Float
    public var epsilon: Float
    public var weightDecay: Float
    public internal(set) var step = 0
    var slots = OptimizerSlots(slotNames: ["exp_avg", "exp_avg_sq"])

    public init(learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
    }

    public mutating func update(_ module: Module, gradients: [String: Tensor]) {
        let hyper = nextStep()
        module.updateParameters(with: gradients) { name, p, gradient in
            var m = slots.take(name, "exp_avg", shape: gradient.shape)
            var v = slots.take(name, "exp_avg_sq", shape: gradient.shape)
            Self.update(&p, &m, &v, gradient: gradient, hyper)
            slots.put(name, "exp_avg", m)
            slots.put(name, "exp_avg_sq", v)
        }
    }

    /// Counts the step and returns its constants.
    private mutating func nextStep() -> Hyperparameters {
        step += 1
        // Bias corrections in double precision, as PyTorch computes them in Python floats.
        let t = Double(step)
        let stepSize = Float(Double(learningRate) / (1 - pow(Double(beta1), t)))
        let correction2 = Float((1 - pow(Double(beta2), t)).squareRoot())
        return Hyperparameters(beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay,
                               stepSize: stepSize, correction2: correction2)
    }

    struct Hyperparameters {
        var beta1, beta2, epsilon, weightDecay, stepSize, correction2: Float
    }

    /// Updates one parameter and its moments: in place when this optimizer owns all three
    /// buffers, otherwise (a clone that still shares them) into fresh buffers in the same pass,
    /// rather than copying first and updating after.
    static func update(_ p: inout Tensor, _ m: inout Tensor, _ v: inout Tensor, gradient: Tensor, _ h: Hyperparameters) {
        let count = p.count
        gradient.withUnsafeBufferPointer { gp in
            let g = gp.baseAddress!
            if p.isUniquelyOwned && m.isUniquelyOwned && v.isUniquelyOwned {
                p.withUnsafeMutableBufferPointer { p in
                    m.withUnsafeMutableBufferPointer { m in
                        v.withUnsafeMutableBufferPointer { v in
                            let (p, m, v) = (p.baseAddress!, m.baseAddress!, v.baseAddress!)
                            forEachRun(count) { start, length in
                                gankit_adam_update(p + start, m + start, v + start, g + start, length, h.beta1, h.beta2, h.epsilon,
                                                   h.weightDecay, h.stepSize, h.correction2)
                            }
                        }
                    }
                }
                return
            }
            var (pOut, mOut, vOut) = (Tensor(uninitializedShape: p.shape), Tensor(uninitializedShape: p.shape), Tensor(uninitializedShape: p.shape))
            p.withUnsafeBufferPointer { p in
                m.withUnsafeBufferPointer { m in
                    v.withUnsafeBufferPointer { v in
                        pOut.withUnsafeMutableBufferPointer { po in
                            mOut.withUnsafeMutableBufferPointer { mo in
                                vOut.withUnsafeMutableBufferPointer { vo in
                                    let (p, m, v) = (p.baseAddress!, m.baseAddress!, v.baseAddress!)
                                    let (po, mo, vo) = (po.baseAddress!, mo.baseAddress!, vo.baseAddress!)
                                    forEachRun(count) { start, length in
                                        gankit_adam_update_into(po + start, mo + start, vo + start, p + start, m + start, v + start, g + start,
                                                                length, h.beta1, h.beta2, h.epsilon, h.weightDecay, h.stepSize, h.correction2)
                                    }
                                }
                            }
                        }
                    }
                }
            }
            (p, m, v) = (pOut, mOut, vOut)
        }
    }

    /// Splits `count` elements into runs across BLAS's threads when large (elements are
    /// independent, so the result does not depend on the split).
    @inline(__always)
    static func forEachRun(_ count: Int, _ body: (_ start: Int, _ length: Int) -> Void) {
        Parallel.forEachChunk(of: (count + 15) / 16, grain: Parallel.grain(floatsPerItem: 16)) { blocks in
            let start = blocks.lowerBound * 16
            body(start, min(count, blocks.upperBound * 16) - start)
        }
    }
}
