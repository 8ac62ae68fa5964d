import GANKitNN
import GANKitTensor
import GANKitTraining
import Testing

/// A checkpoint restored into a fresh trainer continues the run bit for bit.
struct TrainerCheckpointTests {
    @Test(arguments: [Topology.single, .sgan(SGANOptions(pairs: 2))])
    func resumedRunIsBitIdenticalToUninterrupted(_ topology: Topology) throws {
        let configuration = SGANTopologyTests.configuration(topology, objective: .wganGP, weighting: .wegan(beta: 0.5))
        let straight = try Trainer(configuration: configuration, data: SGANTopologyTests.ring)
        straight.train(iterations: 6)

        let first = try Trainer(configuration: configuration, data: SGANTopologyTests.ring)
        first.train(iterations: 3)
        let saved = first.checkpoint()
        let resumed = try Trainer(configuration: configuration, data: SGANTopologyTests.ring)
        try resumed.restore(saved)
        #expect(resumed.iteration == 3)
        resumed.train(iterations: 3)

        for ((name, a), (_, b)) in zip(straight.namedPlayers, resumed.namedPlayers) {
            #expect(SGANTopologyTests.identical(SGANTopologyTests.parameters(a.network), SGANTopologyTests.parameters(b.network)), "\(name)")
            #expect(a.optimizer.step == b.optimizer.step)
        }
    }

    @Test func checkpointOfAnotherConfigurationIsRejected() throws {
        let a = try Trainer(configuration: SGANTopologyTests.configuration(.single), data: SGANTopologyTests.ring)
        let b = try Trainer(configuration: SGANTopologyTests.configuration(.sgan(SGANOptions(pairs: 2))), data: SGANTopologyTests.ring)
        #expect(throws: CheckpointError.configurationMismatch) { try b.restore(a.checkpoint()) }
    }
}
