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

    init(configuration: TrainingConfiguration, data: any RealDataSource) {
        self.configuration = configuration
        self.data = data
    }

    /// The configured objective and weighting.
    var rules: GameRules { GameRules(objective: configuration.objective, weighting: configuration.weighting) }
    /// The configured objective with uniform weights.
    var unweightedRules: GameRules { GameRules(objective: configuration.objective) }

    func batch(_ role: BatchRole, pair: Int, draw: () -> Tensor) -> Tensor {
        injector?.batch(role, pair: pair) ?? draw()
    }

    func noise(_ stream: inout RandomStream) -> Tensor {
        configuration.networks.noise.sample(configuration.batchSize, using: &stream)
    }

    func realBatch(_ cursor: inout DataCursor) -> Tensor { data.nextBatch(configuration.batchSize, cursor: &cursor) }

    /// Standard training of pair `k` for one iteration: I_D discriminator steps, then one generator
    /// step. A single pair, an ensemble's pairs and SGAN's local pairs all run exactly this.
    /// Under N-SW (`sharing`), the shared layers' gradients are returned rather than applied.
    func trainPair(_ pair: GANPair, index k: Int, rules: GameRules, sharing: LayerSharing?) -> PairStatistics {
        var d: (loss: Float, penalty: Float?) = (0, nil)
        var sharedD: [[String: Tensor]] = []
        for _ in 0..<configuration.resolvedDiscriminatorSteps {
            let real = batch(.discriminatorReal, pair: k) { realBatch(&pair.streams.data) }
            let z = batch(.discriminatorNoise, pair: k) { noise(&pair.streams.noise) }
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
        let z = batch(.generatorNoise, pair: k) { noise(&pair.streams.noise) }
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

    init(generator g: (gradients: [String: Tensor], loss: Float, weights: [Float], overflows: Int), discriminator d: (loss: Float, penalty: Float?),
         weighted: Bool) {
        generatorLoss = g.loss
        discriminatorLoss = d.loss
        penalty = d.penalty
        weightVariance = weighted ? GeneratorWeighting.variance(ofScaled: g.weights) : nil
        overflows = weighted ? g.overflows : nil
    }

    private enum CodingKeys: String, CodingKey {
        case generatorLoss, discriminatorLoss, penalty, weightVariance, overflows
    }

    func named(_ suffix: String) -> [PlayerStatistics] {
        [PlayerStatistics(player: "G\(suffix)", loss: generatorLoss, weightVariance: weightVariance, weightOverflows: overflows),
         PlayerStatistics(player: "D\(suffix)", loss: discriminatorLoss, penalty: penalty)]
    }
}
