import Foundation
import GANKitNN
import GANKitTensor
import GANKitTraining
import Testing

/// SGAN's defining rule and its determinism: nothing flows from the global pair into the local
/// pairs, and parallel execution changes no bit.
struct SGANTopologyTests {
    static let ring = SampledDataSource(sampleShape: [2]) { count, rng in
        var out = Tensor(uninitializedShape: [count, 2])
        out.withUnsafeMutableBufferPointer { p in
            for i in 0..<count {
                let angle = 2 * Float.pi * Float(rng.nextInt(below: 8)) / 8
                p[2 * i] = 2 * cos(angle) + 0.02 * (rng.nextUniform() - 0.5)
                p[2 * i + 1] = 2 * sin(angle) + 0.02 * (rng.nextUniform() - 0.5)
            }
        }
        return out
    }

    static func configuration(_ topology: Topology, objective: ObjectiveKind = .nonSaturating, threads: Int = 1,
                              weighting: GeneratorWeighting = .uniform) -> TrainingConfiguration {
        TrainingConfiguration(
            objective: Objective(objective), weighting: weighting, topology: topology,
            networks: NetworkConfiguration(architecture: .mlp(depth: 2, width: 16, activation: .leakyReLU(slope: 0.01)), latentDimension: 4, sampleShape: [2]),
            discriminatorSteps: objective == .wganGP ? 2 : 1, batchSize: 16, seed: 7, threads: threads)
    }

    static func parameters(_ module: Module) -> [Tensor] { module.namedParameters.map(\.1.value) }

    static func identical(_ a: [Tensor], _ b: [Tensor]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.isBitwiseIdentical(to: $1) }
    }

    @Test(arguments: [ObjectiveKind.nonSaturating, .wganGP])
    func globalPairAndMessengersDoNotChangeLocalPairs(_ objective: ObjectiveKind) throws {
        for messengers in [true, false] {
            let sgan = try Trainer(configuration: Self.configuration(.sgan(SGANOptions(pairs: 3, messengers: messengers)), objective: objective),
                                   data: Self.ring)
            let alone = try Trainer(configuration: Self.configuration(.ensemble(pairs: 3), objective: objective), data: Self.ring)
            sgan.train(iterations: 4)
            alone.train(iterations: 4)
            for k in 0..<3 {
                #expect(Self.identical(Self.parameters(sgan.pairs[k].generator.network), Self.parameters(alone.pairs[k].generator.network)))
                #expect(Self.identical(Self.parameters(sgan.pairs[k].discriminator.network), Self.parameters(alone.pairs[k].discriminator.network)))
                #expect(sgan.pairs[k].streams == alone.pairs[k].streams)
            }
            // …while the global pair did learn.
            let fresh = try Trainer(configuration: Self.configuration(.sgan(SGANOptions(pairs: 3)), objective: objective), data: Self.ring)
            #expect(!Self.identical(Self.parameters(sgan.global!.generator.network), Self.parameters(fresh.global!.generator.network)))
        }
    }

    /// With batch norm (DCGAN, non-saturating), G0 and D0 run one pass per batch on themselves,
    /// so their running statistics learn as a local pair's do (sampling G0 in evaluation mode
    /// depends on them), while the local pairs' statistics stay exactly as without the global pair.
    @Test func globalBatchNormStatisticsLearnAndLocalOnesAreUntouched() throws {
        let images = SampledDataSource(sampleShape: [1, 28, 28]) { n, rng in Tensor.uniform([n, 1, 28, 28], low: -1, high: 1, using: &rng) }
        func trainer(_ topology: Topology, threads: Int) throws -> Trainer {
            try Trainer(configuration: TrainingConfiguration(
                objective: Objective(.nonSaturating), topology: topology,
                networks: NetworkConfiguration(architecture: .dcgan(width: 4), latentDimension: 8, sampleShape: [1, 28, 28]),
                discriminatorSteps: 1, batchSize: 4, seed: 3, threads: threads), data: images)
        }
        let sgan = try trainer(.sgan(SGANOptions(pairs: 2)), threads: 2)
        let alone = try trainer(.ensemble(pairs: 2), threads: 1)
        let g0Before = sgan.global!.generator.network.namedBuffers.map(\.1.value)
        let d0Before = sgan.global!.discriminator.network.namedBuffers.map(\.1.value)
        #expect(!g0Before.isEmpty && !d0Before.isEmpty)
        sgan.train(iterations: 2)
        alone.train(iterations: 2)
        #expect(!Self.identical(sgan.global!.generator.network.namedBuffers.map(\.1.value), g0Before), "G0's running statistics never moved")
        #expect(!Self.identical(sgan.global!.discriminator.network.namedBuffers.map(\.1.value), d0Before), "D0's running statistics never moved")
        for k in 0..<2 {
            for (a, b) in [(sgan.pairs[k].generator.network, alone.pairs[k].generator.network),
                           (sgan.pairs[k].discriminator.network, alone.pairs[k].discriminator.network)] {
                let mine = a.stateDictionary, theirs = b.stateDictionary
                #expect(mine.keys.sorted() == theirs.keys.sorted())
                for (name, value) in mine { #expect(value.isBitwiseIdentical(to: theirs[name]!), "pair \(k + 1): \(name)") }
            }
        }
    }

    /// Algorithm 1's messengers take I_D steps: saying so explicitly changes no bit.
    @Test func messengerStepsOfIDAreAlgorithmOne() throws {
        let implicit = try Trainer(configuration: Self.configuration(.sgan(SGANOptions(pairs: 2)), objective: .wganGP), data: Self.ring)
        let explicit = try Trainer(configuration: Self.configuration(.sgan(SGANOptions(pairs: 2, messengerSteps: 2)), objective: .wganGP),
                                   data: Self.ring)
        implicit.train(iterations: 3)
        explicit.train(iterations: 3)
        #expect(Self.identical(Self.parameters(implicit.global!.generator.network), Self.parameters(explicit.global!.generator.network)))
        #expect(implicit.messengerStreams == explicit.messengerStreams)
    }

    /// More (or fewer) messenger steps change what G0 learns against and nothing else: the
    /// local pairs and D0 are exactly as with Algorithm 1's I_D, and each messenger draws one
    /// real batch per step.
    @Test(arguments: [1, 3])
    func messengerStepsChangeOnlyTheGlobalGenerator(_ steps: Int) throws {
        final class Counter: @unchecked Sendable {
            let lock = NSLock()
            var batches = 0
        }
        func trainer(_ options: SGANOptions) throws -> (Trainer, Counter) {
            let counter = Counter()
            let counted = SampledDataSource(sampleShape: [2]) { n, rng in
                counter.lock.withLock { counter.batches += 1 }
                return Tensor.uniform([n, 2], low: -1, high: 1, using: &rng)
            }
            return (try Trainer(configuration: Self.configuration(.sgan(options), objective: .wganGP), data: counted), counter)
        }
        let (algorithm1, drawn1) = try trainer(SGANOptions(pairs: 2))
        let (ablated, drawn) = try trainer(SGANOptions(pairs: 2, messengerSteps: steps))
        algorithm1.train(iterations: 3)
        ablated.train(iterations: 3)
        for (a, b) in zip(algorithm1.pairs, ablated.pairs) {
            #expect(Self.identical(Self.parameters(a.generator.network), Self.parameters(b.generator.network)))
            #expect(Self.identical(Self.parameters(a.discriminator.network), Self.parameters(b.discriminator.network)))
        }
        #expect(Self.identical(Self.parameters(algorithm1.global!.discriminator.network), Self.parameters(ablated.global!.discriminator.network)))
        #expect(!Self.identical(Self.parameters(algorithm1.global!.generator.network), Self.parameters(ablated.global!.generator.network)))
        // I_D = 2 here: 2 messengers × 3 iterations × (steps − 2) real batches more.
        #expect(drawn.batches - drawn1.batches == 2 * 3 * (steps - 2))
    }

    @Test func messengerStepsAreRefusedWhereTheyCannotApply() {
        let simplified = Self.configuration(.sgan(SGANOptions(pairs: 2, messengers: false, messengerSteps: 2)))
        #expect(throws: ConfigurationError.self) { try simplified.validate() }
        let none = Self.configuration(.sgan(SGANOptions(pairs: 2, messengerSteps: 0)))
        #expect(throws: ConfigurationError.self) { try none.validate() }
    }

    @Test func parallelAndSerialSGANAreBitIdentical() throws {
        let options = SGANOptions(pairs: 4)
        let serial = try Trainer(configuration: Self.configuration(.sgan(options), threads: 1, weighting: .wegan(beta: 0.5)), data: Self.ring)
        let parallel = try Trainer(configuration: Self.configuration(.sgan(options), threads: 2, weighting: .wegan(beta: 0.5)), data: Self.ring)
        serial.train(iterations: 3)
        parallel.train(iterations: 3)
        for (a, b) in zip(serial.pairs + [serial.global!], parallel.pairs + [parallel.global!]) {
            #expect(Self.identical(Self.parameters(a.generator.network), Self.parameters(b.generator.network)))
            #expect(Self.identical(Self.parameters(a.discriminator.network), Self.parameters(b.discriminator.network)))
        }
    }

    @Test func weganWithBetaZeroIsStandardTraining() throws {
        let plain = try Trainer(configuration: Self.configuration(.single), data: Self.ring)
        let weighted = try Trainer(configuration: Self.configuration(.single, weighting: .wegan(beta: 0)), data: Self.ring)
        plain.train(iterations: 5)
        weighted.train(iterations: 5)
        #expect(Self.identical(Self.parameters(plain.pairs[0].generator.network), Self.parameters(weighted.pairs[0].generator.network)))
        #expect(Self.identical(Self.parameters(plain.pairs[0].discriminator.network), Self.parameters(weighted.pairs[0].discriminator.network)))
    }

    @Test func everyVariantAndObjectiveRunsAndStaysFinite() throws {
        let variants: [Topology] = [
            .single, .repeatedPair(updates: 2), .ensemble(pairs: 2),
            .sgan(SGANOptions(pairs: 2)), .sgan(SGANOptions(pairs: 2, messengers: false)),
            .sgan(SGANOptions(pairs: 2, messengerCopiesOptimizerState: false)), .sgan(SGANOptions(pairs: 2, globalUpdates: .perLocalUpdate)),
            .sgan(SGANOptions(pairs: 2, messengerSteps: 3)),
        ]
        for topology in variants {
            for objective in ObjectiveKind.allCases {
                for weighting in [GeneratorWeighting.uniform, .wegan(beta: 0.5), .wegan(WeGANWeighting(beta: 0.3, form: .power)),
                                  .wegan(WeGANWeighting(beta: 0.3, form: .exponential))] {
                    let trainer = try Trainer(configuration: Self.configuration(topology, objective: objective, weighting: weighting), data: Self.ring)
                    for _ in 0..<2 {
                        let report = trainer.step()
                        #expect(report.isFinite, "\(String(describing: topology)) \(objective.rawValue) \(String(describing: weighting))")
                    }
                }
            }
        }
    }

    @Test func weightVarianceIsReportedForWeightedGenerators() throws {
        let trainer = try Trainer(configuration: Self.configuration(.sgan(SGANOptions(pairs: 2)), weighting: .wegan(beta: 0.9)), data: Self.ring)
        let report = trainer.step()
        #expect(report.statistics(of: "G1")?.weightVariance != nil)
        #expect(report.statistics(of: "G0")?.weightVariance != nil)
        #expect(report.statistics(of: "D1")?.weightVariance == nil)
        let iw = try Trainer(configuration: Self.configuration(.single, weighting: .iwgan), data: Self.ring)
        #expect(iw.step().statistics(of: "G")?.weightOverflows == 0)
    }

    @Test func generatorsReportTheirGradientNorms() throws {
        for topology in [Topology.sgan(SGANOptions(pairs: 2)), .sgan(SGANOptions(pairs: 2, globalUpdates: .perLocalUpdate))] {
            let report = try Trainer(configuration: Self.configuration(topology), data: Self.ring).step()
            for generator in ["G1", "G2", "G0"] {
                let norm = report.statistics(of: generator)?.gradientNorm
                #expect(norm.map { $0.isFinite && $0 > 0 } == true, "\(generator): \(String(describing: norm))")
            }
            for critic in ["D1", "D0", "M1"] { #expect(report.statistics(of: critic)?.gradientNorm == nil, "\(critic)") }
        }
    }

    @Test func aProbeMessengerIsTrainedLikeARunsMessengerAndLeavesTheRunAlone() throws {
        let configuration = Self.configuration(.sgan(SGANOptions(pairs: 2)))
        let probed = try Trainer(configuration: configuration, data: Self.ring), plain = try Trainer(configuration: configuration, data: Self.ring)
        _ = probed.step()
        _ = plain.step()
        let sgan = try #require(probed.sgan)
        let d1 = probed.pairs[0].discriminator.network
        var rng = RandomStream(seed: 3), cursor = DataCursor(stream: RandomStream(seed: 5))
        let batch = (real: Self.ring.nextBatch(16, cursor: &cursor), fake: Tensor.normal([16, 2], using: &rng))
        var penalties = RandomStream(seed: 4)
        // No steps: a clone of D_1. One step: D_1 moved, by the same update a run's messenger gets.
        let clone = try #require(sgan.probeMessenger(0, batches: [], penaltyStream: &penalties))
        #expect(Self.identical(Self.parameters(clone), Self.parameters(d1)))
        let stepped = try #require(sgan.probeMessenger(0, batches: [batch], penaltyStream: &penalties))
        let byHand = Player(network: d1.copy(), optimizer: configuration.resolvedDiscriminatorOptimizer.make())
        try byHand.optimizer.restore(state: probed.pairs[0].discriminator.optimizer.state, step: probed.pairs[0].discriminator.optimizer.step)
        var unused = RandomStream(seed: 4)
        _ = GameRules(objective: configuration.objective).discriminatorStep(byHand, real: batch.real, fake: batch.fake, penaltyStream: &unused)
        #expect(Self.identical(Self.parameters(stepped), Self.parameters(byHand.network)))
        #expect(!Self.identical(Self.parameters(stepped), Self.parameters(d1)))
        // The run goes on as if nothing had been probed.
        _ = probed.step()
        _ = plain.step()
        for (a, b) in zip(probed.pairs + [probed.global!], plain.pairs + [plain.global!]) {
            #expect(Self.identical(Self.parameters(a.generator.network), Self.parameters(b.generator.network)))
            #expect(Self.identical(Self.parameters(a.discriminator.network), Self.parameters(b.discriminator.network)))
        }
        // Simplified SGAN has no messengers to probe.
        let simplified = try Trainer(configuration: Self.configuration(.sgan(SGANOptions(pairs: 2, messengers: false))), data: Self.ring)
        #expect(simplified.sgan?.probeMessenger(0, batches: [batch], penaltyStream: &penalties) == nil)
        #expect(sgan.stepsPerMessenger == 1)
    }

    @Test func messengersSwitchToTheirStepsAtTheNamedIteration() throws {
        func players(_ t: Trainer) -> [Tensor] {
            (t.pairs + [t.global!]).flatMap { Self.parameters($0.generator.network) + Self.parameters($0.discriminator.network) }
        }
        let algorithm1 = try Trainer(configuration: Self.configuration(.sgan(SGANOptions(pairs: 2))), data: Self.ring)
        let switched = try Trainer(configuration: Self.configuration(.sgan(SGANOptions(pairs: 2, messengerSteps: 3, messengerStepsFrom: 3))),
                                   data: Self.ring)
        let fromStart = try Trainer(configuration: Self.configuration(.sgan(SGANOptions(pairs: 2, messengerSteps: 3))), data: Self.ring)
        algorithm1.train(iterations: 2)
        switched.train(iterations: 2)
        fromStart.train(iterations: 2)
        // Before the switch, Algorithm 1's single step.
        #expect(Self.identical(players(switched), players(algorithm1)))
        #expect(!Self.identical(players(fromStart), players(algorithm1)))
        #expect(switched.sgan?.stepsPerMessenger == 1)
        algorithm1.step()
        switched.step()
        #expect(!Self.identical(players(switched), players(algorithm1)))
        #expect(switched.sgan?.stepsPerMessenger == 3)
        // A switch needs a step count to switch to, and a later iteration than the first.
        #expect(throws: ConfigurationError.self) { try Self.configuration(.sgan(SGANOptions(pairs: 2, messengerStepsFrom: 3))).validate() }
        #expect(throws: ConfigurationError.self) {
            try Self.configuration(.sgan(SGANOptions(pairs: 2, messengerSteps: 3, messengerStepsFrom: 1))).validate()
        }
    }

    @Test func messengersCanSwitchFromManyStepsBackToAlgorithm1() throws {
        func players(_ t: Trainer) -> [Tensor] {
            (t.pairs + [t.global!]).flatMap { Self.parameters($0.generator.network) + Self.parameters($0.discriminator.network) }
        }
        let manySteps = try Trainer(configuration: Self.configuration(.sgan(SGANOptions(pairs: 2, messengerSteps: 3))), data: Self.ring)
        let switchedBack = try Trainer(configuration: Self.configuration(.sgan(SGANOptions(pairs: 2, messengerStepsFrom: 3, messengerStepsBefore: 3))),
                                       data: Self.ring)
        manySteps.train(iterations: 2)
        switchedBack.train(iterations: 2)
        // Before the switch, the many steps of the run it starts as.
        #expect(Self.identical(players(switchedBack), players(manySteps)))
        #expect(switchedBack.sgan?.stepsPerMessenger == 3)
        manySteps.step()
        switchedBack.step()
        #expect(!Self.identical(players(switchedBack), players(manySteps)))
        #expect(switchedBack.sgan?.stepsPerMessenger == 1)
        // Steps before a switch need the switch, and a switch needs two different counts.
        #expect(throws: ConfigurationError.self) { try Self.configuration(.sgan(SGANOptions(pairs: 2, messengerStepsBefore: 3))).validate() }
        #expect(throws: ConfigurationError.self) {
            try Self.configuration(.sgan(SGANOptions(pairs: 2, messengerSteps: 3, messengerStepsFrom: 3, messengerStepsBefore: 3))).validate()
        }
        #expect(throws: ConfigurationError.self) {
            try Self.configuration(.sgan(SGANOptions(pairs: 2, messengerStepsFrom: 3, messengerStepsBefore: 0))).validate()
        }
    }

    @Test func theGradientNormSumsEveryParameterInAFixedOrder() {
        // 3-4-12-… : √(9 + 16 + 144) = 13; 17 ones fill two 8-lane blocks and a tail.
        #expect(GameRules.norm(of: ["b": Tensor(shape: [1], values: [12]), "a": Tensor(shape: [2], values: [3, 4])]) == 13)
        #expect(GameRules.norm(of: ["w": Tensor(shape: [17], values: Array(repeating: 1, count: 17))]) == Float(17).squareRoot())
        #expect(GameRules.norm(of: [:]) == 0)
    }
}
