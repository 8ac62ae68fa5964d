import Foundation
import GANKitNN
import GANKitTensor
import GANKitTraining
import Testing

/// N-SW: shared layers stay identical across the local pairs, the rest stays their own, and the
/// global pair still cannot reach the local pairs.
struct WeightSharingTests {
    static func configuration(threads: Int = 1, messengers: Bool = true) -> TrainingConfiguration {
        SGANTopologyTests.configuration(.sgan(SGANOptions(pairs: 3, messengers: messengers, sharedGeneratorLayers: 1, sharedDiscriminatorLayers: 1)),
                                        threads: threads)
    }

    static func layer(_ m: Module, _ prefix: String) -> [Tensor] {
        m.namedParameters.filter { $0.0.hasPrefix(prefix + ".") }.map(\.1.value)
    }

    @Test func sharedLayersStayIdenticalAndOthersDiverge() throws {
        let trainer = try Trainer(configuration: Self.configuration(), data: SGANTopologyTests.ring)
        let before = Self.layer(trainer.pairs[0].generator.network, "4")
        trainer.train(iterations: 3)
        let g = trainer.pairs.map(\.generator.network), d = trainer.pairs.map(\.discriminator.network)
        // The generator's last linear layer ("4") and the discriminator's first ("0") are shared.
        for k in 1..<3 {
            #expect(SGANTopologyTests.identical(Self.layer(g[k], "4"), Self.layer(g[0], "4")))
            #expect(SGANTopologyTests.identical(Self.layer(d[k], "0"), Self.layer(d[0], "0")))
            #expect(!SGANTopologyTests.identical(Self.layer(g[k], "0"), Self.layer(g[0], "0")))
            #expect(!SGANTopologyTests.identical(Self.layer(d[k], "4"), Self.layer(d[0], "4")))
        }
        #expect(!SGANTopologyTests.identical(Self.layer(g[0], "4"), before), "the shared layer was updated")
        #expect(trainer.namedPlayers.map(\.0).contains("shared.generator"))
    }

    @Test func localPairsDoNotDependOnMessengersOrThreads() throws {
        let a = try Trainer(configuration: Self.configuration(threads: 1, messengers: true), data: SGANTopologyTests.ring)
        let b = try Trainer(configuration: Self.configuration(threads: 2, messengers: false), data: SGANTopologyTests.ring)
        a.train(iterations: 3)
        b.train(iterations: 3)
        for (p, q) in zip(a.pairs, b.pairs) {
            #expect(SGANTopologyTests.identical(SGANTopologyTests.parameters(p.generator.network), SGANTopologyTests.parameters(q.generator.network)))
            #expect(SGANTopologyTests.identical(SGANTopologyTests.parameters(p.discriminator.network),
                                                SGANTopologyTests.parameters(q.discriminator.network)))
        }
    }

    @Test func resumeWithSharedLayersIsBitIdentical() throws {
        let straight = try Trainer(configuration: Self.configuration(), data: SGANTopologyTests.ring)
        straight.train(iterations: 4)
        let first = try Trainer(configuration: Self.configuration(), data: SGANTopologyTests.ring)
        first.train(iterations: 2)
        let resumed = try Trainer(configuration: Self.configuration(), data: SGANTopologyTests.ring)
        try resumed.restore(first.checkpoint())
        resumed.train(iterations: 2)
        for ((_, x), (_, y)) in zip(straight.namedPlayers, resumed.namedPlayers) {
            #expect(SGANTopologyTests.identical(SGANTopologyTests.parameters(x.network), SGANTopologyTests.parameters(y.network)))
        }
    }

    /// WGAN's clipping reaches the shared layers' master copy, not only each pair's copy of it
    /// (the master is what the next shared update starts from).
    @Test func weightClippingConstrainsTheSharedMasterCopy() throws {
        var configuration = SGANTopologyTests.configuration(.sgan(SGANOptions(pairs: 3, sharedGeneratorLayers: 1, sharedDiscriminatorLayers: 1)),
                                                            objective: .wgan)
        configuration.objective.clipValue = 0.01
        let trainer = try Trainer(configuration: configuration, data: SGANTopologyTests.ring)
        trainer.train(iterations: 3)
        let master = trainer.checkpoint().tensors.filter { $0.key.hasPrefix("shared.discriminator.network.") }
        #expect(!master.isEmpty)
        for (name, t) in master {
            #expect(t.scalars.allSatisfy { abs($0) <= 0.01 }, "\(name) exceeds the clipping bound")
        }
        // Every pair holds exactly the master's values.
        for pair in trainer.pairs {
            for (name, p) in pair.discriminator.network.namedParameters {
                if let m = master["shared.discriminator.network.\(name)"] { #expect(p.value.isBitwiseIdentical(to: m), "\(name)") }
            }
        }
    }
}

/// WeGAN's power form when every fake sample is confidently rejected.
struct WeGANPowerFormTests {
    @Test func veryNegativeLogitsGiveFiniteNormalisedWeights() {
        let weighting = WeGANWeighting(beta: 0.5, form: .power)
        let w = weighting.weights(logits: [-200, -150, -300, -120])
        guard w.count == 4 else { Issue.record("\(w)"); return }
        #expect(w.allSatisfy { $0.isFinite }, "\(w)")
        #expect(abs(w.reduce(0, +) - 1) < 1e-6)
        // d^β ∝ exp(β log σ(f)) ≈ exp(β f) here: the least rejected sample weighs most.
        #expect(w[3] > w[1] && w[1] > w[0] && w[0] > w[2])
        #expect(abs(w[3] / w[1] - Float(Foundation.exp(0.5 * 30.0))) / Float(Foundation.exp(15.0)) < 1e-3)
        // Ordinary logits are unchanged: weights ∝ σ(f)^β.
        let plain = weighting.weights(logits: [0, 2])
        let expected: [Double] = [(0.5 as Double).squareRoot(), (1 / (1 + Foundation.exp(-2.0))).squareRoot()]
        #expect(abs(Double(plain[0]) - expected[0] / (expected[0] + expected[1])) < 1e-6)
    }
}
