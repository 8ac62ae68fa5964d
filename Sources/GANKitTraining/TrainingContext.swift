import GANKitAutodiff
import GANKitNN
import GANKitTensor

/// What every block of an iteration reads: the configuration, the data, and the batches tests
/// inject. One per trainer, shared by its topology.
final class TrainingContext: @unchecked Sendable {
    let configuration: TrainingConfiguration
    let data: any RealDataSource
    /// Batches to use instead of drawn ones (tests reproducing PyTorch's iterations).
    var injector: (any BatchInjector)?
    /// Data-parallel training: this rank's rows of every batch (nil: all of them, in this process).
    let shard: BatchShard?

    init(configuration: TrainingConfiguration, data: any RealDataSource, dataParallel: DataParallelGroup? = nil) {
        self.configuration = configuration
        self.data = data
        shard = dataParallel.map { BatchShard(group: $0, batchSize: configuration.batchSize) }
    }

    /// The configured objective and weighting.
    var rules: GameRules {
        var rules = GameRules(objective: configuration.objective, weighting: configuration.weighting)
        rules.shard = shard
        return rules
    }
    /// The configured objective with uniform weights.
    var unweightedRules: GameRules {
        var rules = GameRules(objective: configuration.objective)
        rules.shard = shard
        return rules
    }

    /// This process's rows of a whole batch of noise (all of them unless data-parallel).
    func mine(_ batch: Tensor) -> Tensor { shard?.mine(batch) ?? batch }

    func batch(_ role: BatchRole, pair: Int, draw: () -> Tensor) -> Tensor {
        injector?.batch(role, pair: pair) ?? draw()
    }

    func noise(_ stream: inout RandomStream) -> Tensor {
        configuration.networks.noise.sample(configuration.batchSize, using: &stream)
    }

    func realBatch(_ cursor: inout DataCursor) -> Tensor { data.nextBatch(configuration.batchSize, cursor: &cursor) }

    /// Standard training of pair `k` for one iteration: I_D discriminator steps, then one generator
    /// step. A single pair, an ensemble's pairs, SGAN's local pairs and every rank of a
    /// data-parallel pair all run exactly this (the last on their rows of each batch).
    /// Under N-SW (`sharing`), the shared layers' gradients are returned rather than applied.
    func trainPair(_ pair: GANPair, index k: Int, rules: GameRules, sharing: LayerSharing?) -> PairStatistics {
        var d: (loss: Float, penalty: Float?) = (0, nil)
        var sharedD: [[String: Tensor]] = []
        for _ in 0..<configuration.resolvedDiscriminatorSteps {
            let real = batch(.discriminatorReal, pair: k) { realBatch(&pair.streams.data) }
            let z = mine(batch(.discriminatorNoise, pair: k) { noise(&pair.streams.noise) })
            let fake = pair.generator.network(z)
            if let shared = sharing?.discriminator {
                let r = rules.discriminatorGradients(pair.discriminator.network, real: real, fake: fake, penaltyStream: &pair.streams.penalty)
                let (local, mine) = shared.split(r.gradients)
                pair.discriminator.update(local)
                configuration.objective.afterDiscriminatorUpdate(pair.discriminator.network)
                sharedD.append(mine)
                d = (r.loss, r.penalty)
            } else {
                d = rules.discriminatorStep(pair.discriminator, real: real, fake: fake, penaltyStream: &pair.streams.penalty)
            }
        }
        let z = mine(batch(.generatorNoise, pair: k) { noise(&pair.streams.noise) })
        let g = rules.generatorGradients(pair.generator.network, against: pair.discriminator.network, noise: z)
        var statistics = PairStatistics(generator: g, discriminator: d, weighted: rules.weighting != .uniform)
        if let shared = sharing?.generator {
            let (local, mine) = shared.split(g.gradients)
            pair.generator.update(local)
            statistics.sharedGeneratorGradients = mine
        } else {
            pair.generator.update(g.gradients)
        }
        if !sharedD.isEmpty {
            var mean = LayerSharing.sum(sharedD)
            for key in mean.keys { mean[key] = mean[key]! * (1 / Float(sharedD.count)) }
            statistics.sharedDiscriminatorGradients = mean
        }
        return statistics
    }
}

/// Statistics of one pair's iteration, before naming the players. N-SW's shared gradients are
/// handed to the shared layers' update in the same process and never encoded.
struct PairStatistics: Codable {
    var sharedGeneratorGradients: [String: Tensor]?
    var sharedDiscriminatorGradients: [String: Tensor]?
    var generatorLoss: Float
    var discriminatorLoss: Float
    var penalty: Float?
    var weightVariance: Float?
    var overflows: Int?
    var generatorGradientNorm: Float?

    init(generator g: (gradients: [String: Tensor], loss: Float, weights: [Float], overflows: Int), discriminator d: (loss: Float, penalty: Float?),
         weighted: Bool) {
        generatorLoss = g.loss
        discriminatorLoss = d.loss
        penalty = d.penalty
        weightVariance = weighted ? GeneratorWeighting.variance(ofScaled: g.weights) : nil
        overflows = weighted ? g.overflows : nil
        generatorGradientNorm = GameRules.norm(of: g.gradients)
    }

    private enum CodingKeys: String, CodingKey {
        case generatorLoss, discriminatorLoss, penalty, weightVariance, overflows, generatorGradientNorm
    }

    func named(_ suffix: String) -> [PlayerStatistics] {
        [PlayerStatistics(player: "G\(suffix)", loss: generatorLoss, weightVariance: weightVariance, weightOverflows: overflows,
                          gradientNorm: generatorGradientNorm),
         PlayerStatistics(player: "D\(suffix)", loss: discriminatorLoss, penalty: penalty)]
    }
}
