import Foundation
import GANKitTensor

/// The inception score from class probabilities: IS = exp(E_x KL(p(y|x) ‖ p(y))).
///
/// Here p(y|x) is the softmax of a classifier trained by GANKit on the real training set (not
/// ImageNet's Inception network), and p(y) the mean of p(y|x) over the generated set. It is high
/// when each sample is classified confidently and the classes are balanced; its maximum is the
/// number of classes. With `splits` > 1 the set is cut into that many contiguous parts, a score is
/// computed on each, and their mean and standard deviation are reported (Salimans et al. use 10).
public enum InceptionScore {
    public struct Result: Sendable, Equatable, Codable {
        public var mean: Double
        /// Standard deviation over splits (population, as in the reference code; 0 for one split).
        public var standardDeviation: Double
        public var splitScores: [Double]
    }

    /// The score of `probabilities` `[n, K]` (rows are probability vectors; natural log).
    public static func compute(probabilities: Tensor, splits: Int = 1) throws -> Result {
        try ClassProbabilities.validate(probabilities)
        let n = probabilities.shape[0], k = probabilities.shape[1]
        guard splits >= 1, splits <= n else { throw MetricError.invalidOption(name: "splits", value: "\(splits)", allowed: "1...\(n)") }
        var scores: [Double] = []
        probabilities.withUnsafeBufferPointer { p in
            for s in 0..<splits {
                let lo = s * n / splits, hi = (s + 1) * n / splits
                var marginal = [Double](repeating: 0, count: k)
                for i in lo..<hi { for c in 0..<k { marginal[c] += Double(p[i * k + c]) } }
                for c in 0..<k { marginal[c] /= Double(hi - lo) }
                var kl = 0.0
                for i in lo..<hi {
                    for c in 0..<k {
                        let q = Double(p[i * k + c])
                        if q > 0 { kl += q * (log(q) - log(marginal[c])) }
                    }
                }
                scores.append(exp(kl / Double(hi - lo)))
            }
        }
        let mean = scores.reduce(0, +) / Double(splits)
        let variance = scores.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(splits)
        return Result(mean: mean, standardDeviation: variance.squareRoot(), splitScores: scores)
    }
}

/// Checks shared by the classifier-based scores.
enum ClassProbabilities {
    /// `[n ≥ 1, K ≥ 2]`, finite, non-negative, rows summing to 1 within 1e-3.
    static func validate(_ p: Tensor) throws {
        guard p.rank == 2, p.shape[0] >= 1, p.shape[1] >= 2 else {
            throw MetricError.badShape(input: "probabilities", shape: p.shape, expected: "[n ≥ 1, K ≥ 2]")
        }
        let n = p.shape[0], k = p.shape[1]
        try p.withUnsafeBufferPointer { b in
            for i in 0..<n {
                var sum = 0.0
                for c in 0..<k {
                    let v = b[i * k + c]
                    guard v.isFinite, v >= 0 else { throw MetricError.notProbabilities(row: i, reason: "entry \(c) is \(v)") }
                    sum += Double(v)
                }
                guard abs(sum - 1) <= 1e-3 else { throw MetricError.notProbabilities(row: i, reason: "sums to \(sum)") }
            }
        }
    }
}
