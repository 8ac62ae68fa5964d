import GANKitAutodiff
import GANKitNN
import GANKitTensor
import GANKitTraining
import Testing

/// The architectures both papers use build with the right shapes and train.
struct NetworkConfigurationTests {
    @Test(arguments: [[1, 28, 28], [3, 32, 32], [3, 64, 64]])
    func dcganNetsMapNoiseToImagesAndImagesToOneLogit(_ shape: [Int]) throws {
        let networks = NetworkConfiguration(architecture: .dcgan(width: 8), latentDimension: 16, sampleShape: shape)
        var rng = RandomStream(seed: 1)
        let g = networks.makeGenerator(using: &rng)
        let images = g(Tensor.normal([3, 16], using: &rng))
        #expect(images.shape == [3] + shape)
        #expect(images.minElement >= -1 && images.maxElement <= 1)
        for batchNorm in [true, false] {
            let d = networks.makeDiscriminator(batchNorm: batchNorm, using: &rng)
            #expect(d(images).shape == [3, 1])
            #expect(d.namedBuffers.isEmpty == !batchNorm)
        }
    }

    @Test func gradientPenaltyObjectivesGetADiscriminatorWithoutBatchNorm() throws {
        let data = SampledDataSource(sampleShape: [1, 28, 28]) { n, rng in Tensor.uniform([n, 1, 28, 28], low: -1, high: 1, using: &rng) }
        for kind in [ObjectiveKind.wganGP, .nonSaturating] {
            let c = TrainingConfiguration(objective: Objective(kind),
                                          networks: NetworkConfiguration(architecture: .dcgan(width: 4), latentDimension: 8, sampleShape: [1, 28, 28]),
                                          discriminatorSteps: 1, batchSize: 4, seed: 2)
            let trainer = try Trainer(configuration: c, data: data)
            #expect(trainer.pairs[0].discriminator.network.namedBuffers.isEmpty == kind.usesGradientPenalty)
            #expect(trainer.step().isFinite)
        }
    }

    @Test func mlpHasTheRequestedDepthAndWidth() {
        var rng = RandomStream(seed: 3)
        let g = NetworkConfiguration.sganToy.makeGenerator(using: &rng)
        let linear = g.layers.compactMap { $0 as? Linear }
        #expect(linear.map(\.outputSize) == [512, 512, 512, 2])
        #expect(linear.first?.inputSize == 100)
    }
}
