import GANKitData
import GANKitMetrics
import GANKitNN
import GANKitTensor

/// The toy-data metrics of both papers on samples of a generator (`../shared/spec/toy-data-and-metrics.md`).
public struct ToyEvaluation: Codable, Sendable, Equatable {
    public var samples: Int
    /// Modes that received at least `modeThreshold` high-quality samples (rings and grids only).
    public var modesCovered: Int?
    public var modesTotal: Int?
    public var modeThreshold: Int?
    /// Fraction of samples within 3 std of their nearest mode.
    public var highQualityFraction: Double?
    /// KL divergence of the high-quality samples' distribution over modes from uniform.
    public var klToUniform: Double?
    /// Unbiased squared MMD between generated and real samples with a Gaussian kernel.
    public var mmd2: Double
    public var mmdBandwidth: Double
    /// AdaGAN's coverage C (real mass where the generated KDE exceeds its 5th percentile).
    public var coverage: Double
    /// Mean log-likelihood of the generated samples under the true mixture.
    public var logLikelihoodUnderTrueMixture: Double?

    /// Draws `samples` points from `generator` and as many from the data, and scores them.
    public static func evaluate(generator: Module, latentDimension: Int, dataset: ToyDataset, samples: Int = 2500,
                                mmdBandwidth: Double = 1, modeThreshold: Int = 1, seed: UInt64 = 0) throws -> ToyEvaluation {
        var noise = RandomStream(seed: seed).derived("evaluation.noise")
        var dataStream = RandomStream(seed: seed).derived("evaluation.data")
        generator.setTraining(false)
        defer { generator.setTraining(true) }
        let generated = generator(Tensor.normal([samples, latentDimension], using: &noise))
        let real = try dataset.makeSampler().sample(count: samples, using: &dataStream)
        return try evaluate(generated: generated, real: real, dataset: dataset, mmdBandwidth: mmdBandwidth, modeThreshold: modeThreshold)
    }

    /// Scores given generated samples against given real samples.
    public static func evaluate(generated: Tensor, real: Tensor, dataset: ToyDataset, mmdBandwidth: Double = 1,
                                modeThreshold: Int = 1) throws -> ToyEvaluation {
        let mmd = try MMD.squared(generated, real, bandwidth: mmdBandwidth, estimator: .unbiased)
        let coverage = try AdaGANCoverage.compute(real: real, generated: generated).coverage
        var result = ToyEvaluation(samples: generated.shape[0], mmd2: mmd, mmdBandwidth: mmdBandwidth, coverage: coverage)
        if let mixture = try dataset.mixture() {
            let modes = try ModeCoverage(samples: generated, mixture: mixture, threshold: modeThreshold)
            result.modesCovered = modes.modesCovered
            result.modesTotal = modes.modeCount
            result.modeThreshold = modeThreshold
            result.highQualityFraction = modes.highQualityFraction
            result.klToUniform = modes.klToUniform
            let densities = try mixture.logDensities(generated)
            result.logLikelihoodUnderTrueMixture = densities.reduce(0, +) / Double(densities.count)
        }
        return result
    }
}
