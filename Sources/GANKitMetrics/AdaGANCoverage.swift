import Foundation
import GANKitTensor

/// AdaGAN's coverage C (Tolstikhin et al. 2017, §4; the "coverage" SGAN plots).
///
/// C = P_data(p_model(x) > t), with p_model a Gaussian KDE of the generated samples and t chosen
/// so that P_model(p_model(x) > t) = 0.95: t is the 5th percentile of the KDE's log-density over
/// the generated points themselves (each point's own kernel included, as when the KDE is fitted
/// and scored on the same set), and C is the fraction of real points whose log-density exceeds t.
/// A generator that drops modes leaves the real points of those modes below t, so C falls.
public enum AdaGANCoverage {
    /// How the KDE's bandwidth is chosen.
    public enum Bandwidth: Codable, Equatable, Sendable {
        /// Scott's rule on the generated samples (the default: no tuning, deterministic).
        case scott
        /// Cross-validation on the generated samples over a grid (nil: the default grid).
        case crossValidated(grid: [Double]?, folds: Int)
        /// A given bandwidth.
        case fixed(Double)
    }

    public struct Result: Sendable, Equatable, Codable {
        /// C, in [0, 1].
        public var coverage: Double
        /// The threshold t on the log-density.
        public var threshold: Double
        /// The KDE bandwidth used.
        public var bandwidth: Double
    }

    /// C for `real` `[n, d]` against `generated` `[m, d]`. `level` is the model mass above t (0.95).
    public static func compute(real: Tensor, generated: Tensor, bandwidth: Bandwidth = .scott, level: Double = 0.95) throws -> Result {
        guard level > 0, level < 1 else { throw MetricError.invalidOption(name: "level", value: "\(level)", allowed: "in (0, 1)") }
        try PairwiseDistances.check(real, "real")
        guard real.shape[0] >= 1 else { throw MetricError.tooFewSamples(input: "real", count: 0, minimum: 1) }
        let h: Double
        switch bandwidth {
        case .scott: h = try GaussianKDE.scottBandwidth(generated)
        case let .crossValidated(grid, folds):
            h = try GaussianKDE.crossValidatedBandwidth(generated, grid: grid ?? GaussianKDE.defaultBandwidthGrid, folds: folds).bandwidth
        case let .fixed(value): h = value
        }
        let kde = try GaussianKDE(samples: generated, bandwidth: h)
        let t = percentile(try kde.logDensities(generated), 1 - level)
        let realLog = try kde.logDensities(real)
        let above = realLog.reduce(0) { $0 + ($1 > t ? 1 : 0) }
        return Result(coverage: Double(above) / Double(realLog.count), threshold: t, bandwidth: h)
    }

    /// The q-quantile with linear interpolation between order statistics (NumPy's default).
    static func percentile(_ values: [Double], _ q: Double) -> Double {
        let sorted = values.sorted()
        let position = q * Double(sorted.count - 1)
        let lo = Int(position.rounded(.down)), hi = min(lo + 1, sorted.count - 1)
        let w = position - Double(lo)
        return sorted[lo] * (1 - w) + sorted[hi] * w
    }
}
