import Foundation
import GANKitData
import GANKitTensor

/// The log-likelihood metrics of the toy experiments (SGAN appendix A.2).
///
/// - Real data under a Gaussian KDE of generated samples: how well the generator's distribution
///   explains the data (dropped modes make real points improbable). The bandwidth is chosen by
///   cross-validation on the generated samples (SGAN uses 500 of them).
/// - Generated samples under the true mixture: how precisely samples land on the modes (known in
///   closed form on toy data). The two together separate coverage from sample quality.
public enum KDELogLikelihood {
    /// A log-likelihood and the bandwidth it was computed with (reports must state it).
    public struct Result: Sendable, Equatable, Codable {
        public var meanLogLikelihood: Double
        public var bandwidth: Double
    }

    /// The mean log-density of `points` under the KDE of `samples` with bandwidth `bandwidth`.
    public static func mean(of points: Tensor, underKDEOf samples: Tensor, bandwidth: Double) throws -> Double {
        try GaussianKDE(samples: samples, bandwidth: bandwidth).meanLogDensity(points)
    }

    /// As `mean(of:underKDEOf:bandwidth:)` with the bandwidth chosen on `samples` by
    /// `folds`-fold cross-validation over `grid`.
    public static func crossValidated(of points: Tensor, underKDEOf samples: Tensor,
                                      grid: [Double] = GaussianKDE.defaultBandwidthGrid, folds: Int = 5) throws -> Result {
        let h = try GaussianKDE.crossValidatedBandwidth(samples, grid: grid, folds: folds).bandwidth
        return Result(meanLogLikelihood: try mean(of: points, underKDEOf: samples, bandwidth: h), bandwidth: h)
    }

    /// The mean log-density of `samples` `[n, 2]` under the true `mixture`.
    public static func underMixture(_ samples: Tensor, mixture: GaussianMixture) throws -> Double {
        guard samples.rank == 2, samples.shape[1] == 2, samples.shape[0] >= 1 else {
            throw MetricError.badShape(input: "samples", shape: samples.shape, expected: "[n ≥ 1, 2]")
        }
        let values = try mixture.logDensities(samples)
        return values.reduce(0, +) / Double(values.count)
    }
}
