import GANKitNN
import GANKitTensor
import GANKitTraining
import Testing

/// Spectral normalisation in the training loop: every discriminator (local, global, messenger)
/// carries its u and v through checkpoints, and a run with it differs from one without only in
/// the discriminators' normalisation (same initial weights).
struct SpectralNormalizationTrainingTests {
    static func configuration(_ topology: Topology, objective: ObjectiveKind = .hinge) -> TrainingConfiguration {
        var c = SGANTopologyTests.configuration(topology, objective: objective)
        c.networks.spectralNormalization = true
        return c
    }

    static func state(_ module: Module) -> [Tensor] { module.stateDictionary.sorted { $0.key < $1.key }.map(\.value) }

    @Test(arguments: [ObjectiveKind.hinge, .wganGP])
    func resumedSGANRunIsBitIdenticalWithTheVectors(_ objective: ObjectiveKind) throws {
        let configuration = Self.configuration(.sgan(SGANOptions(pairs: 2)), objective: objective)
        let straight = try Trainer(configuration: configuration, data: SGANTopologyTests.ring)
        straight.train(iterations: 6)
        let first = try Trainer(configuration: configuration, data: SGANTopologyTests.ring)
        first.train(iterations: 3)
        let resumed = try Trainer(configuration: configuration, data: SGANTopologyTests.ring)
        try resumed.restore(first.checkpoint())
        resumed.train(iterations: 3)
        for ((name, a), (_, b)) in zip(straight.namedPlayers, resumed.namedPlayers) {
            #expect(SGANTopologyTests.identical(Self.state(a.network), Self.state(b.network)), "\(name)")
        }
        let d = straight.pairs[0].discriminator.network
        #expect(d.namedBuffers.map(\.0).filter { $0.hasSuffix("weight_u") }.count == 3, "every linear layer of D has its u")
        #expect(straight.pairs[0].generator.network.namedBuffers.isEmpty, "G is not normalised")
    }

    @Test func normalisationStartsFromTheSameWeightsAndChangesTheRun() throws {
        var plain = SGANTopologyTests.configuration(.single, objective: .hinge)
        let normalised = Self.configuration(.single)
        let a = try Trainer(configuration: plain, data: SGANTopologyTests.ring)
        let b = try Trainer(configuration: normalised, data: SGANTopologyTests.ring)
        #expect(SGANTopologyTests.identical(SGANTopologyTests.parameters(a.pairs[0].discriminator.network),
                                            SGANTopologyTests.parameters(b.pairs[0].discriminator.network)))
        a.train(iterations: 2)
        b.train(iterations: 2)
        #expect(!SGANTopologyTests.identical(SGANTopologyTests.parameters(a.pairs[0].generator.network),
                                             SGANTopologyTests.parameters(b.pairs[0].generator.network)))
        plain.networks.spectralNormalization = true
        #expect(plain == normalised)
    }

    /// DCGAN's discriminator keeps BatchNorm under a non-penalty objective, unless normalised.
    @Test func normalisedDCGANDiscriminatorHasNoBatchNorm() {
        var networks = NetworkConfiguration(architecture: .dcgan(width: 8), latentDimension: 4, sampleShape: [1, 28, 28])
        var rng = RandomStream(seed: 0)
        #expect(networks.makeDiscriminator(batchNorm: true, using: &rng).layers.contains { $0 is BatchNorm })
        networks.spectralNormalization = true
        let d = networks.makeDiscriminator(batchNorm: true, using: &rng)
        #expect(!d.layers.contains { $0 is BatchNorm })
        #expect(d.layers.compactMap { ($0 as? any SpectrallyNormalizable)?.spectralNormalization }.count == 3)
    }
}
