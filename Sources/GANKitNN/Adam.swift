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
        step += 1
        // Bias corrections in double precision, as PyTorch computes them in Python floats.
        let t = Double(step)
        let stepSize = Float(Double(learningRate) / (1 - pow(Double(beta1), t)))
        let correction2 = Float((1 - pow(Double(beta2), t)).squareRoot())
        let (b1, b2, eps, wd) = (beta1, beta2, epsilon, weightDecay)
        module.updateParameters(with: gradients) { name, p, gradient in
            var m = slots.take(name, "exp_avg", shape: gradient.shape)
            var v = slots.take(name, "exp_avg_sq", shape: gradient.shape)
            gradient.withUnsafeBufferPointer { g in
                m.withUnsafeMutableBufferPointer { m in
                    v.withUnsafeMutableBufferPointer { v in
                        p.withUnsafeMutableBufferPointer { p in
                            Self.kernel(p: p.baseAddress!, m: m.baseAddress!, v: v.baseAddress!, g: g.baseAddress!, count: p.count,
                                        beta1: b1, beta2: b2, epsilon: eps, weightDecay: wd, stepSize: stepSize, correction2: correction2)
                        }
                    }
                }
            }
            slots.put(name, "exp_avg", m)
            slots.put(name, "exp_avg_sq", v)
        }
    }

    /// The update of one parameter tensor, eight lanes at a time (memory-bound: one pass over p,
    /// m, v and g); large tensors are split across BLAS's threads (elements are independent).
    static func kernel(p: UnsafeMutablePointer<Float>, m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>,
                       g: UnsafePointer<Float>, count: Int, beta1: Float, beta2: Float, epsilon: Float, weightDecay: Float,
                       stepSize: Float, correction2: Float) {
        Parallel.forEachChunk(of: (count + 7) / 8, grain: 4096) { blocks in
            let start = blocks.lowerBound * 8, end = min(count, blocks.upperBound * 8)
            updateRun(p: p + start, m: m + start, v: v + start, g: g + start, count: end - start, beta1: beta1, beta2: beta2,
                      epsilon: epsilon, weightDecay: weightDecay, stepSize: stepSize, correction2: correction2)
        }
    }

    @inline(__always)
    static func updateRun(p: UnsafeMutablePointer<Float>, m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>,
                          g: UnsafePointer<Float>, count: Int, beta1: Float, beta2: Float, epsilon: Float, weightDecay: Float,
                          stepSize: Float, correction2: Float) {
        typealias V = SIMD8<Float>
        let (b1, b2, c1, c2) = (V(repeating: beta1), V(repeating: beta2), V(repeating: 1 - beta1), V(repeating: 1 - beta2))
        let (eps, wd, step, inverseCorrection) = (V(repeating: epsilon), V(repeating: weightDecay), V(repeating: stepSize), V(repeating: 1 / correction2))
        var i = 0
        while i + 8 <= count {
            var gi = UnsafeRawPointer(g + i).loadUnaligned(as: V.self)
            var pi = UnsafeRawPointer(p + i).loadUnaligned(as: V.self)
            if weightDecay != 0 { gi += wd * pi }
            let mi = b1 * UnsafeRawPointer(m + i).loadUnaligned(as: V.self) + c1 * gi
            let vi = b2 * UnsafeRawPointer(v + i).loadUnaligned(as: V.self) + c2 * gi * gi
            pi -= step * mi / (vi.squareRoot() * inverseCorrection + eps)  // one division per lane: the loop is bound by sqrt and div
            UnsafeMutableRawPointer(m + i).storeBytes(of: mi, as: V.self)
            UnsafeMutableRawPointer(v + i).storeBytes(of: vi, as: V.self)
            UnsafeMutableRawPointer(p + i).storeBytes(of: pi, as: V.self)
            i += 8
        }
        while i < count {
            let gi = weightDecay == 0 ? g[i] : g[i] + weightDecay * p[i]
            m[i] = beta1 * m[i] + (1 - beta1) * gi
            v[i] = beta2 * v[i] + (1 - beta2) * gi * gi
            p[i] -= stepSize * m[i] / (v[i].squareRoot() * (1 / correction2) + epsilon)
            i += 1
        }
    }
}
