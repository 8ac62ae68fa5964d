import GANKitAutodiff
import GANKitNN
import GANKitTensor
import GANKitTestSupport
import GANKitTraining
import Testing

/// Whole iterations against PyTorch: the trainer's own code paths with PyTorch's batches injected.
struct TrainerOracleTests {
    @Test(arguments: Oracle.cases(kind: "gan_step"))
    func standardIterationMatchesPyTorch(_ c: OracleCase) throws {
        let real = c.input("real")
        let trainer = try Trainer(configuration: OracleTraining.configuration(c, batchSize: real.shape[0]), data: OracleTraining.noData)
        let pair = trainer.pairs[0]
        OracleTraining.load(pair.generator.network, prefix: "G", from: c.inputs)
        OracleTraining.load(pair.discriminator.network, prefix: "D", from: c.inputs)
        trainer.injector = FixedBatches([
            .init(.discriminatorReal, pair: 0): real,
            .init(.discriminatorNoise, pair: 0): c.input("z_d"),
            .init(.generatorNoise, pair: 0): c.input("z_g"),
        ])
        let report = trainer.step()
        OracleTraining.expectMatches(pair.generator.network, prefix: "G", c)
        OracleTraining.expectMatches(pair.discriminator.network, prefix: "D", c)
        #expect(isClose(Tensor(report.statistics(of: "D")!.loss), c.expected("loss_d")))
        #expect(isClose(Tensor(report.statistics(of: "G")!.loss), c.expected("loss_g")))
    }

    /// PyTorch's initial weights given as a PyTorch `state_dict` would name them (`generator.0.weight`),
    /// as `--init-from` passes them, give PyTorch's first iteration.
    @Test(arguments: Oracle.cases(kind: "gan_step"))
    func initialWeightsInPyTorchNamesGiveTheOraclesFirstIteration(_ c: OracleCase) throws {
        let real = c.input("real")
        let trainer = try Trainer(configuration: OracleTraining.configuration(c, batchSize: real.shape[0]), data: OracleTraining.noData)
        var weights: [String: Tensor] = [:]
        for (key, t) in c.inputs where key.hasPrefix("G.layer") || key.hasPrefix("D.layer") {
            let role = key.hasPrefix("G.") ? "generator" : "discriminator"
            weights["\(role).\(OracleTraining.gankitName(String(key.dropFirst(2))))"] = t
        }
        #expect(try trainer.loadInitialWeights(weights) == ["discriminator", "generator"])
        let pair = trainer.pairs[0]
        trainer.injector = FixedBatches([
            .init(.discriminatorReal, pair: 0): real,
            .init(.discriminatorNoise, pair: 0): c.input("z_d"),
            .init(.generatorNoise, pair: 0): c.input("z_g"),
        ])
        trainer.step()
        OracleTraining.expectMatches(pair.generator.network, prefix: "G", c)
        OracleTraining.expectMatches(pair.discriminator.network, prefix: "D", c)
    }

    @Test func initialWeightsThatDoNotFitAreRefusedByNameAndChangeNothing() throws {
        let trainer = try Trainer(configuration: TrainingConfiguration(
            topology: .sgan(SGANOptions(pairs: 2)),
            networks: NetworkConfiguration(architecture: .mlp(depth: 1, width: 4, activation: .relu), latentDimension: 3, sampleShape: [2])),
            data: OracleTraining.noData)
        let before = trainer.checkpoint().tensors
        let g = trainer.pairs[0].generator.network.stateDictionary
        var weights = Dictionary(uniqueKeysWithValues: g.map { ("generator.\($0.key)", $0.value) })
        weights["generator.2.weight"] = Tensor.zeros([2, 5])
        #expect(throws: InitialWeightsError.doesNotFit(prefix: "generator", .shapeMismatch(name: "2.weight", expected: [2, 4], found: [2, 5]))) {
            try trainer.loadInitialWeights(weights)
        }
        weights["generator.2.weight"] = nil
        #expect(throws: InitialWeightsError.doesNotFit(prefix: "generator", .missing(name: "2.weight"))) { try trainer.loadInitialWeights(weights) }
        #expect(throws: InitialWeightsError.self) { try trainer.loadInitialWeights(["G3.0.weight": Tensor.zeros([4, 3])]) }
        #expect(throws: InitialWeightsError.self) { try trainer.loadInitialWeights(["0.weight": Tensor.zeros([4, 3])]) }
        let after = trainer.checkpoint().tensors
        for (k, t) in before { #expect(after[k]!.isBitwiseIdentical(to: t), "\(k) changed") }
        // A player-specific prefix wins over the role-wide one, and only that player changes.
        var g0 = trainer.global!.generator.network.stateDictionary
        g0["0.bias"] = Tensor(shape: [4], values: [1, 2, 3, 4])
        let set = try trainer.loadInitialWeights(Dictionary(uniqueKeysWithValues: g.map { ("generator.\($0.key)", $0.value) }
            + g0.map { ("G0.\($0.key)", $0.value) }))
        #expect(set == ["G0", "generator"])
        #expect(trainer.global!.generator.network.stateDictionary["0.bias"]!.scalars == [1, 2, 3, 4])
        #expect(trainer.pairs[1].generator.network.stateDictionary["0.bias"]!.isBitwiseIdentical(to: g["0.bias"]!))
        #expect(trainer.pairs[1].discriminator.network.stateDictionary["0.bias"]!.isBitwiseIdentical(to: before["pair2.discriminator.network.0.bias"]!))
    }

    @Test(arguments: Oracle.cases(kind: "sgan_step"))
    func sganIterationMatchesPyTorch(_ c: OracleCase) throws {
        let n = c.config["pairs"]!.int!
        let batch = c.input("real_local_0").shape[0]
        for threads in [1, 2] {
            var configuration = OracleTraining.configuration(c, batchSize: batch, topology: .sgan(SGANOptions(pairs: n)))
            configuration.threads = threads
            let trainer = try Trainer(configuration: configuration, data: OracleTraining.noData)
            var table: [FixedBatches.BatchKey: Tensor] = [:]
            let roles: [(String, BatchRole)] = [
                ("real_local", .discriminatorReal), ("z_d", .discriminatorNoise), ("z_g", .generatorNoise),
                ("real_msg", .messengerReal), ("z_msg", .messengerNoise), ("z_g0", .globalGeneratorNoise),
                ("real_d0", .globalDiscriminatorReal), ("z_d0", .globalDiscriminatorNoise),
            ]
            for k in 0..<n {
                OracleTraining.load(trainer.pairs[k].generator.network, prefix: "G\(k + 1)", from: c.inputs)
                OracleTraining.load(trainer.pairs[k].discriminator.network, prefix: "D\(k + 1)", from: c.inputs)
                for (name, role) in roles { table[.init(role, pair: k)] = c.input("\(name)_\(k)") }
            }
            OracleTraining.load(trainer.global!.generator.network, prefix: "G0", from: c.inputs)
            OracleTraining.load(trainer.global!.discriminator.network, prefix: "D0", from: c.inputs)
            trainer.injector = FixedBatches(table)
            trainer.step()
            for k in 0..<n {
                OracleTraining.expectMatches(trainer.pairs[k].generator.network, prefix: "G\(k + 1)", c)
                OracleTraining.expectMatches(trainer.pairs[k].discriminator.network, prefix: "D\(k + 1)", c)
            }
            OracleTraining.expectMatches(trainer.global!.generator.network, prefix: "G0", c)
            OracleTraining.expectMatches(trainer.global!.discriminator.network, prefix: "D0", c)
        }
    }

    @Test(arguments: Oracle.cases(kind: "wegan_step"))
    func weganGeneratorStepMatchesPyTorch(_ c: OracleCase) throws {
        let beta = c.config["beta"]!.float!
        let z = c.input("z")
        let configuration = OracleTraining.configuration(c, batchSize: z.shape[0], weighting: .wegan(beta: beta))
        let trainer = try Trainer(configuration: configuration, data: OracleTraining.noData)
        let pair = trainer.pairs[0]
        OracleTraining.load(pair.generator.network, prefix: "G", from: c.inputs)
        OracleTraining.load(pair.discriminator.network, prefix: "D", from: c.inputs)
        let rules = GameRules(objective: configuration.objective, weighting: configuration.weighting)
        let logits = pair.discriminator.network(pair.generator.network(z)).scalars
        guard case .wegan(let wegan) = configuration.weighting else { return }
        #expect(isClose(Tensor(shape: [logits.count], values: wegan.probabilities(logits: logits)), c.expected("probabilities")))
        #expect(isClose(Tensor(shape: [logits.count], values: GeneratorWeighting.iwgan.weights(logits: logits).weights), c.expected("iwgan_weights")))
        let step = rules.generatorGradients(pair.generator.network, against: pair.discriminator.network, noise: z)
        pair.generator.update(step.gradients)
        #expect(isClose(Tensor(shape: [step.weights.count], values: step.weights), c.expected("weights")))
        #expect(isClose(Tensor(GeneratorWeighting.variance(ofScaled: step.weights)), c.expected("weight_variance")))
        #expect(isClose(Tensor(step.loss), c.expected("loss_g")))
        OracleTraining.expectMatches(pair.generator.network, prefix: "G", c)
    }
}
