import GANKit

/// The training iterations of `../shared/bench/torch_gan_bench.py`, built with GANKit's trainer
/// and the same networks, optimizer settings and batch shapes.
enum BenchmarkCase: String, CaseIterable {
    case toyGAN = "toy-gan"
    case toyWGANGP = "toy-wgan-gp"
    case toyWeGAN = "toy-wegan"
    case toySGAN = "toy-sgan"
    case dcgan28
    /// DCGAN (Radford et al.) on CIFAR-10's 32×32×3: G 256-128-64, D 64-128-256, Adam 2e-4 (0.5, 0.999).
    case dcgan32
    /// DCGAN on CelebA's 64×64×3: G 512-256-128-64, D 64-128-256-512, Adam 2e-4 (0.5, 0.999).
    case dcgan64
    /// WGAN-GP's character-level language model: sentences of 32 over 96 symbols, 5 residual
    /// blocks of 128 channels, I_D = 5, λ = 10, Adam 1e-4 (0.5, 0.9), one-hot "data".
    case textWGAN = "text-wgan"
    /// Feature extraction with the FID Inception network (forward only, not a training
    /// iteration): timed by `InceptionBenchmark`, at batch 50 unless `--batch` says otherwise.
    case inception

    /// Adam(lr 1e-5, betas 0.5/0.999) for every player, as the reference.
    static let referenceOptimizer = OptimizerConfiguration.adam(learningRate: 1e-5, beta1: 0.5, beta2: 0.999)

    func configuration(batch: Int, threads: Int, pairs: Int) -> TrainingConfiguration {
        var c = TrainingConfiguration(objective: Objective(.nonSaturating), networks: .sganToy,
                                      generatorOptimizer: Self.referenceOptimizer, discriminatorOptimizer: Self.referenceOptimizer,
                                      discriminatorSteps: 1, batchSize: batch, seed: 0, threads: threads)
        switch self {
        case .toyGAN, .inception: break
        case .toyWGANGP:
            c.objective = Objective(.wganGP, penaltyWeight: 10)
            c.discriminatorSteps = 5
        case .toyWeGAN: c.weighting = .wegan(beta: 0.5)
        case .toySGAN: c.topology = .sgan(SGANOptions(pairs: pairs))
        case .dcgan28:
            c.networks = NetworkConfiguration(architecture: .dcgan(width: 64), latentDimension: 100, sampleShape: [1, 28, 28])
        case .dcgan32, .dcgan64:
            let size = self == .dcgan32 ? 32 : 64
            let adam = OptimizerConfiguration.adam(learningRate: 2e-4, beta1: 0.5, beta2: 0.999)
            c.generatorOptimizer = adam
            c.discriminatorOptimizer = adam
            c.networks = NetworkConfiguration(architecture: .dcgan(width: 64), latentDimension: 100, sampleShape: [3, size, size],
                                              initialization: .dcgan)
        case .textWGAN:
            let adam = OptimizerConfiguration.adam(learningRate: 1e-4, beta1: 0.5, beta2: 0.9)
            c.objective = Objective(.wganGP, penaltyWeight: 10)
            c.discriminatorSteps = 5
            c.generatorOptimizer = adam
            c.discriminatorOptimizer = adam
            c.networks = NetworkConfiguration(architecture: .charResNet(width: 128, blocks: 5), latentDimension: 128, sampleShape: [96, 32])
        }
        return c
    }

    /// Standard normal "data", as the reference draws (one-hot random symbols for text).
    func data(for configuration: TrainingConfiguration) -> SampledDataSource {
        let shape = configuration.networks.sampleShape
        if self == .textWGAN {
            return SampledDataSource(sampleShape: shape) { count, rng in
                let symbols = (0..<(count * shape[1])).map { _ in UInt16(rng.next() % UInt64(shape[0])) }
                return TextDataSource.oneHot(symbols, sentences: Array(0..<count), vocabulary: shape[0], length: shape[1])
            }
        }
        return SampledDataSource(sampleShape: shape) { count, rng in Tensor.normal([count] + shape, using: &rng) }
    }

    func makeTrainer(batch: Int, threads: Int, pairs: Int) throws -> Trainer {
        let c = configuration(batch: batch, threads: threads, pairs: pairs)
        return try Trainer(configuration: c, data: data(for: c))
    }
}
