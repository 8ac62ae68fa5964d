import Foundation
import GANKitTensor

/// How the fake samples of a batch are weighted in the generator's loss.
public enum GeneratorWeighting: Codable, Sendable, Equatable {
    /// Every sample counts the same: the usual mean.
    case uniform
    /// WeGAN (Pantazis et al. 2019, §3): a multiplicative-weights step from uniform weights,
    /// recomputed each iteration from the current discriminator (`../shared/spec/wegan.md`).
    case wegan(WeGANWeighting)
    /// Importance weights of IWGAN (Hu et al. 2017): w_i ∝ d_i/(1 − d_i) = exp(logit_i).
    case iwgan

    public static func wegan(beta: Float) -> GeneratorWeighting { .wegan(WeGANWeighting(beta: beta)) }

    /// Normalised weights (summing to 1) for critic outputs `logits` of one fake batch, and how
    /// many samples would have overflowed a naive IWGAN computation.
    public func weights(logits: [Float]) -> (weights: [Float], overflows: Int) {
        let m = logits.count
        switch self {
        case .uniform:
            return ([Float](repeating: 1 / Float(m), count: m), 0)
        case .wegan(let w):
            return (w.weights(logits: logits), 0)
        case .iwgan:
            // Softmax of the logits, computed with the maximum subtracted so it never overflows.
            let top = logits.max() ?? 0
            let e = logits.map { Foundation.exp(Double($0 - top)) }
            let total = e.reduce(0, +)
            let overflows = logits.filter { Foundation.exp($0).isInfinite }.count
            return (e.map { Float($0 / total) }, overflows)
        }
    }

    /// The variance of m·w_i over the batch: 0 for uniform weights, WeGAN's convergence signal.
    public static func variance(ofScaled weights: [Float]) -> Float {
        let m = Float(weights.count)
        let scaled = weights.map { $0 * m }
        let mean = scaled.reduce(0, +) / m
        return scaled.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / m
    }
}

/// WeGAN's weighting rule with its parameter β ∈ [0, 1).
public struct WeGANWeighting: Codable, Sendable, Equatable {
    /// The unnormalised weight form. `threshold` is the rule the paper's text describes.
    public enum Form: String, Codable, Sendable, CaseIterable {
        /// w̃_i = 1 − β when d_i < ½, 1 otherwise.
        case threshold
        /// w̃_i = d_i^β.
        case power
        /// w̃_i = exp(β · f(G(z_i))) on the raw critic output.
        case exponential
    }

    /// β: 0 gives standard training.
    public var beta: Float
    public var form: Form
    /// c in d_i = σ(f − c) for critics whose output is not a probability (0 by default).
    public var criticOffset: Float

    public init(beta: Float, form: Form = .threshold, criticOffset: Float = 0) {
        self.beta = beta
        self.form = form
        self.criticOffset = criticOffset
    }

    /// d_i = σ(f_i − c): the discriminator's probability that fake sample i is real.
    public func probabilities(logits: [Float]) -> [Float] {
        logits.map { ScalarMath.sigmoid($0 - criticOffset) }
    }

    /// Normalised weights w_i = w̃_i / Σ_j w̃_j (constants in the generator's gradient).
    public func weights(logits: [Float]) -> [Float] {
        let unnormalised: [Double]
        switch form {
        case .threshold:
            unnormalised = probabilities(logits: logits).map { $0 < 0.5 ? Double(1 - beta) : 1 }
        case .power:
            // d^β = exp(β log σ(f − c)), from the log-probabilities with their maximum taken out:
            // in probabilities, logits below about −104 underflow d to 0, and 0/0 made NaN weights.
            let logD = logits.map { Self.logSigmoid(Double($0) - Double(criticOffset)) }
            let top = logD.max() ?? 0
            unnormalised = logD.map { Foundation.exp(Double(beta) * ($0 - top)) }
        case .exponential:
            let top = logits.max() ?? 0  // the shift cancels in the normalisation
            unnormalised = logits.map { Foundation.exp(Double(beta) * Double($0 - top)) }
        }
        let total = unnormalised.reduce(0, +)
        return unnormalised.map { Float($0 / total) }
    }

    /// log σ(x) without overflow or underflow: x − log(1 + eˣ) for x < 0, −log(1 + e⁻ˣ) otherwise.
    static func logSigmoid(_ x: Double) -> Double {
        x < 0 ? x - Foundation.log1p(Foundation.exp(x)) : -Foundation.log1p(Foundation.exp(-x))
    }
}
