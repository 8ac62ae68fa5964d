import Foundation
import GANKitTensor

/// How evenly generated samples spread over the classes (SGAN's MNIST experiments).
///
/// From a classifier's probabilities on generated samples, the generated class distribution q is
/// either the histogram of predicted classes (`argmax`, the default: what "the class of a
/// sample" means in the papers) or the mean probability (`meanProbability`). Reported: its
/// entropy H(q) in nats (log K for a perfectly balanced generator, 0 for complete collapse onto
/// one class) and the total variation ½ Σₖ |qₖ − 1/K| to the uniform distribution.
public struct ClassDistributionScores: Sendable, Equatable, Codable {
    public enum Assignment: String, Codable, Sendable, CaseIterable { case argmax, meanProbability }

    /// q, one share per class.
    public let distribution: [Double]
    /// H(q) in nats.
    public let entropy: Double
    /// log K, the entropy of the uniform distribution, for reference.
    public let maximumEntropy: Double
    /// TV(q, uniform) in [0, 1 − 1/K].
    public let totalVariationToUniform: Double
    public let assignment: Assignment

    public init(probabilities: Tensor, assignment: Assignment = .argmax) throws {
        try ClassProbabilities.validate(probabilities)
        let n = probabilities.shape[0], k = probabilities.shape[1]
        var q = [Double](repeating: 0, count: k)
        probabilities.withUnsafeBufferPointer { p in
            for i in 0..<n {
                switch assignment {
                case .argmax:
                    var best = 0
                    for c in 1..<k where p[i * k + c] > p[i * k + best] { best = c }
                    q[best] += 1
                case .meanProbability:
                    for c in 0..<k { q[c] += Double(p[i * k + c]) }
                }
            }
        }
        let total = q.reduce(0, +)
        q = q.map { $0 / total }
        distribution = q
        entropy = q.reduce(0) { $1 > 0 ? $0 - $1 * log($1) : $0 }
        maximumEntropy = log(Double(k))
        totalVariationToUniform = q.reduce(0) { $0 + abs($1 - 1 / Double(k)) } / 2
        self.assignment = assignment
    }
}
