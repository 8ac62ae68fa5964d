import GANKitData
import GANKitMetrics
import GANKitNN
import GANKitTensor
import GANKitTraining
import Testing

/// Every objective, and SGAN's G0, actually learn the 8-Gaussian ring: the squared MMD between
/// generated and real samples falls to at most half of the untrained generator's.
struct LearningTests {
    static let data = try! DatasetConfiguration.toy(.ring8).makeSource()

    static func configuration(_ objective: ObjectiveKind, topology: Topology = .single) -> TrainingConfiguration {
        // Small nets and the objectives' own step counts; learning rates chosen so that a few
        // hundred iterations suffice (the authors' defaults need thousands).
        let optimizer: OptimizerConfiguration = switch objective {
        case .wgan: .rmsprop(learningRate: 1e-3)
        case .wganGP: .adam(learningRate: 1e-3, beta1: 0.5, beta2: 0.9)
        default: .adam(learningRate: 1e-3, beta1: 0.5, beta2: 0.999)
        }
        return TrainingConfiguration(
            objective: Objective(objective, clipValue: 0.1), topology: topology,
            networks: NetworkConfiguration(architecture: .mlp(depth: 2, width: 64, activation: .leakyReLU(slope: 0.2)),
                                           latentDimension: 4, sampleShape: [2]),
            generatorOptimizer: optimizer, discriminatorOptimizer: optimizer, batchSize: 64, seed: 11, threads: 1)
    }

    static func mmd(_ generator: Module, latent: Int) throws -> Double {
        var noise = RandomStream(seed: 5), real = RandomStream(seed: 6)
        let fake = generator(Tensor.normal([1000, latent], using: &noise))
        var cursor = DataCursor(stream: real)
        _ = real.next()
        return try MMD.squared(fake, data.nextBatch(1000, cursor: &cursor), bandwidth: 1)
    }

    @Test(arguments: ObjectiveKind.allCases)
    func standardPairLearnsTheRing(_ objective: ObjectiveKind) throws {
        let trainer = try Trainer(configuration: Self.configuration(objective), data: Self.data)
        let before = try Self.mmd(trainer.productGenerator, latent: 4)
        trainer.train(iterations: objective == .dragan ? 3000 : objective.defaultDiscriminatorSteps > 1 ? 500 : 1000)
        let after = try Self.mmd(trainer.productGenerator, latent: 4)
        #expect(after <= before / 2, "\(objective.rawValue): MMD² \(before) → \(after)")
    }

    @Test func sganGlobalGeneratorLearnsTheRing() throws {
        let trainer = try Trainer(configuration: Self.configuration(.nonSaturating, topology: .sgan(SGANOptions(pairs: 3))), data: Self.data)
        let before = try Self.mmd(trainer.productGenerator, latent: 4)
        trainer.train(iterations: 400)
        let after = try Self.mmd(trainer.productGenerator, latent: 4)
        #expect(after <= before / 2, "G0: MMD² \(before) → \(after)")
    }
}
