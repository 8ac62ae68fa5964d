import GANKitData
import GANKitMetrics
import GANKitNN
import GANKitTensor
import GANKitTraining

/// The toy-data metrics of both papers on samples of a generator (`../shared/spec/toy-data-and-metrics.md`).
public struct ToyEvaluation: Codable, Sendable, Equatable {
    public var samples: Int
    /// Modes that received at least `modeThreshold` high-quality samples (rings and grids only).
    public var modesCovered: Int?
    /// Modes that received at least 1% of the samples (`ModeCoverage.strictThreshold`): the
    /// strict count the reproduction pages use, where a few stray points do not make a mode.
    public var modesCoveredStrict: Int?
    public var strictModeThreshold: Int?
    /// The attribution of samples to modes behind both counts (an ensemble combines these).
    public var modeCoverage: ModeCoverage?
    public var modesTotal: Int?
    public var modeThreshold: Int?
    /// Fraction of samples within 3 std of their nearest mode.
    public var highQualityFraction: Double?
    /// KL divergence of the high-quality samples' distribution over modes from uniform.
    public var klToUniform: Double?
    /// Unbiased squared MMD between generated and real samples with a Gaussian kernel.
    public var mmd2: Double
    public var mmdBandwidth: Double
    /// MMD² with bandwidths at the scale of the modes (σ = 0.1 and 0.5): σ = 1 blurs modes of std
    /// 0.02 together and barely sees samples that are near a mode but not on it.
    public var mmd2Narrow: Double?
    public var mmd2Medium: Double?
    /// Mean log-likelihood of real points under a Gaussian KDE of 500 generated samples, its
    /// bandwidth cross-validated on those samples (SGAN appendix A.2, Fig. 10).
    public var kdeLogLikelihood: Double?
    public var kdeBandwidth: Double?
    /// AdaGAN's coverage C (real mass where the generated KDE exceeds its 5th percentile).
    public var coverage: Double
    /// Mean log-likelihood of the generated samples under the true mixture.
    public var logLikelihoodUnderTrueMixture: Double?
    /// How the samples spread over the modes' basins at any distance (`ModeCoverage.basinEntropy`):
    /// whether a generator concentrates before it reaches the data.
    public var basinEntropy: Double?
    /// Mean distance of a sample to its nearest mode's mean: whether the samples reached the data.
    public var meanModeDistance: Double?
    /// Root-mean-square distance of the samples from their own mean: how wide the cloud is.
    public var sampleSpread: Double?

    /// The bandwidths of `mmd2Narrow` and `mmd2Medium`.
    public static let matchedBandwidths = (narrow: 0.1, medium: 0.5)
    /// Generated samples the KDE is built on (SGAN appendix A.2 uses 500).
    public static let kdeSamples = 500

    /// Draws `samples` points from `generator` and as many from the data, and scores them.
    public static func evaluate(generator: Module, noise latent: LatentNoise, dataset: ToyDataset, samples: Int = 2500,
                                mmdBandwidth: Double = 1, modeThreshold: Int = 1, seed: UInt64 = 0) throws -> ToyEvaluation {
        var noise = RandomStream(seed: seed).derived("evaluation.noise")
        var dataStream = RandomStream(seed: seed).derived("evaluation.data")
        generator.setTraining(false)
        defer { generator.setTraining(true) }
        let generated = generator(latent.sample(samples, using: &noise))
        let real = try dataset.makeSampler().sample(count: samples, using: &dataStream)
        return try evaluate(generated: generated, real: real, dataset: dataset, mmdBandwidth: mmdBandwidth, modeThreshold: modeThreshold)
    }

    /// Scores given generated samples against given real samples.
    public static func evaluate(generated: Tensor, real: Tensor, dataset: ToyDataset, mmdBandwidth: Double = 1,
                                modeThreshold: Int = 1) throws -> ToyEvaluation {
        let mmd = try MMD.squared(generated, real, bandwidth: mmdBandwidth, estimator: .unbiased)
        let coverage = try AdaGANCoverage.compute(real: real, generated: generated).coverage
        var result = ToyEvaluation(samples: generated.shape[0], mmd2: mmd, mmdBandwidth: mmdBandwidth, coverage: coverage)
        result.sampleSpread = spread(of: generated)
        result.mmd2Narrow = try MMD.squared(generated, real, bandwidth: matchedBandwidths.narrow, estimator: .unbiased)
        result.mmd2Medium = try MMD.squared(generated, real, bandwidth: matchedBandwidths.medium, estimator: .unbiased)
        let kdeBase = generated.shape[0] > kdeSamples ? generated.gatherRows(Array(0..<kdeSamples)) : generated
        if kdeBase.shape[0] >= 5 {
            let kde = try KDELogLikelihood.crossValidated(of: real, underKDEOf: kdeBase)
            result.kdeLogLikelihood = kde.meanLogLikelihood
            result.kdeBandwidth = kde.bandwidth
        }
        if let mixture = try dataset.mixture() {
            let modes = try ModeCoverage(samples: generated, mixture: mixture, threshold: modeThreshold)
            let strict = ModeCoverage.strictThreshold(samples: generated.shape[0])
            result.modeCoverage = modes
            result.modesCoveredStrict = try modes.withThreshold(strict).modesCovered
            result.strictModeThreshold = strict
            result.modesCovered = modes.modesCovered
            result.modesTotal = modes.modeCount
            result.modeThreshold = modeThreshold
            result.highQualityFraction = modes.highQualityFraction
            result.klToUniform = modes.klToUniform
            result.basinEntropy = modes.basinEntropy
            result.meanModeDistance = modes.meanDistanceToNearestMode
            let densities = try mixture.logDensities(generated)
            result.logLikelihoodUnderTrueMixture = densities.reduce(0, +) / Double(densities.count)
        }
        return result
    }

    /// √(mean ‖x − x̄‖²) over the rows of `samples`.
    static func spread(of samples: Tensor) -> Double {
        let n = samples.shape[0], d = samples.count / max(n, 1)
        guard n > 0 else { return 0 }
        return samples.withUnsafeBufferPointer { p in
            var total = 0.0
            for j in 0..<d {
                var mean = 0.0
                for i in 0..<n { mean += Double(p[i * d + j]) }
                mean /= Double(n)
                for i in 0..<n { let v = Double(p[i * d + j]) - mean; total += v * v }
            }
            return (total / Double(n)).squareRoot()
        }
    }
}
