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
