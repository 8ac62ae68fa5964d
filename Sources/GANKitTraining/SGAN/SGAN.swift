import GANKitAutodiff
import GANKitNN
import GANKitTensor

/// SGAN (Chavdarova & Fleuret 2018, Algorithm 1; `../shared/spec/sgan.md`): N local pairs train
/// as ordinary GANs, and a global pair (G0, D0) learns from them. D0 learns from every local
/// generator's samples; G0 learns against messengers, clones of the D_n made every iteration and
/// trained against G0. Nothing flows back from the global pair to the local ones.
///
/// This type owns SGAN's state and states each block of Algorithm 1 once, as a function (the
/// article <doc:SGANAlgorithm> maps its lines). An `SGANSchedule` only places the blocks:
/// on threads of this process, or on the ranks of an MPI job, and both run these functions.
public final class SGAN: TopologyTraining, @unchecked Sendable {
    public let options: SGANOptions
    let context: TrainingContext
    /// The local pairs (G_n, D_n).
    public let locals: [GANPair]
    /// The global pair (G0, D0).
    public let global: GANPair
    /// Messenger n's streams: G0's noise for it and against it (`noise`), its real batches and
    /// its penalties. One box per n, so that concurrent blocks each advance only their own.
    let messengerStreams: [StreamBox]
    /// D0's streams for pair n: real batches, G_n's noise, penalties.
    let globalDiscriminatorStreams: [StreamBox]
    /// Messenger n's player. A messenger is a fresh clone of D_n every iteration: it is
    /// overwritten with D_n's parameters, buffers and optimizer state, in buffers it keeps from
    /// one iteration to the next, so that cloning allocates nothing and every optimizer updates
    /// a messenger as it updates any other player.
    let messengers: [Player]
    /// N-SW's shared layers (nil: none).
    let sharing: LayerSharing?
    let schedule: any SGANSchedule

    init(options: SGANOptions, context: TrainingContext, locals: [GANPair], global: GANPair, root: RandomStream,
         schedule: any SGANSchedule) throws(ConfigurationError) {
        self.options = options
        self.context = context
        self.locals = locals
        self.global = global
        self.schedule = schedule
        sharing = try LayerSharing(options, pairs: locals, configuration: context.configuration)
        messengerStreams = (0..<options.pairs).map { StreamBox(PairStreams(root.derived("messenger").derived($0))) }
        globalDiscriminatorStreams = (0..<options.pairs).map { StreamBox(PairStreams(root.derived("global-discriminator").derived($0))) }
        messengers = options.messengers
            ? locals.map { Player(network: $0.discriminator.network.copy(), optimizer: context.configuration.resolvedDiscriminatorOptimizer.make()) }
            : []
    }

    func iterate(threads: Int) -> [PlayerStatistics] { schedule.iterate(self, threads: threads) }

    func playersChanged() { schedule.playersChanged(self) }

    /// The local pairs' rules: WeGAN's weighting unless it is for G0 only.
    var localRules: GameRules { options.weightedGenerators == .global ? context.unweightedRules : context.rules }
    /// G0's rules: WeGAN's weighting unless it is for the local generators only.
    var globalRules: GameRules { options.weightedGenerators == .local ? context.unweightedRules : context.rules }
    var discriminatorSteps: Int { context.configuration.resolvedDiscriminatorSteps }
    /// The iteration being run (1 for the first), set by the trainer before each: the messengers'
    /// steps may change at `messengerStepsFrom`.
    var iteration = 1
    /// Steps each messenger takes against G0 in this iteration: I_D unless the options say
    /// otherwise, from `messengerStepsFrom` on if they name it (`messengerStepsBefore` before).
    var messengerSteps: Int {
        if let from = options.messengerStepsFrom, iteration < from { return options.messengerStepsBefore ?? discriminatorSteps }
        return options.messengerSteps ?? discriminatorSteps
    }

    // MARK: - The blocks of Algorithm 1

    /// Lines 4–13: local pair n's standard iteration (I_D discriminator steps, one generator step).
    func trainLocalPair(_ k: Int) -> PairStatistics {
        context.trainPair(locals[k], index: k, rules: localRules, sharing: sharing)
    }

    /// N-SW: the shared layers' one update, after every local pair's steps and before any
    /// messenger copies a D_n or D0 samples a G_n.
    func updateSharedLayers(_ local: [PairStatistics]) {
        sharing?.update(from: local, pairs: locals, constrain: context.configuration.objective.afterDiscriminatorUpdate)
    }

    /// Line 18's fake batches: G0's samples for the steps of each messenger in `ks` (I_D in
    /// Algorithm 1, `messengerSteps` in general), from
    /// each messenger's own noise stream. One pass of G0 over all of them when G0 treats samples
    /// independently, which is the same pass wherever the messengers then train.
    func globalGeneratorSamples(for ks: [Int]) -> [[Tensor]] {
        let steps = messengerSteps
        let noises = ks.flatMap { k in
            (0..<steps).map { _ in context.batch(.messengerNoise, pair: k) { context.noise(&messengerStreams[k].streams.noise) } }
        }
        let samples = Self.generate(global.generator.network, noises)
        return ks.indices.map { Array(samples[($0 * steps)..<(($0 + 1) * steps)]) }
    }

    /// Lines 14–21: messenger n, a fresh clone of D_n, takes a step against each of G0's `samples`.
    /// Returns the critic G0 learns against: the messenger, or in simplified SGAN D_n itself
    /// (a copy, so that G0's passes leave D_n's batch statistics alone).
    func trainMessenger(_ k: Int, against samples: [Tensor]) -> (critic: Module, statistics: PlayerStatistics?) {
        let discriminator = locals[k].discriminator
        guard options.messengers else { return (discriminator.network.copy(), nil) }
        let messenger = messengers[k], box = messengerStreams[k]
        clone(discriminator, into: messenger)
        var last: (loss: Float, penalty: Float?) = (0, nil)
        for fake in samples {
            let real = context.batch(.messengerReal, pair: k) { context.realBatch(&box.streams.data) }
            last = context.rules.discriminatorStep(messenger, real: real, fake: fake, penaltyStream: &box.streams.penalty)
        }
        return (messenger.network, PlayerStatistics(player: "M\(k + 1)", loss: last.loss, penalty: last.penalty))
    }

    /// Line 15: `messenger` becomes a fresh clone of `discriminator`, with its optimizer state or
    /// a fresh one as the options say.
    private func clone(_ discriminator: Player, into messenger: Player) {
        messenger.network.overwrite(with: discriminator.network)
        do {
            if options.messengerCopiesOptimizerState {
                try messenger.optimizer.restore(state: discriminator.optimizer.state, step: discriminator.optimizer.step)
            } else {
                try messenger.optimizer.restore(state: [:], step: 0)
            }
        } catch {
            preconditionFailure("a messenger's optimizer is of its discriminator's kind: \(error)")
        }
    }

    /// Steps each messenger took against G0 in the latest iteration.
    public var stepsPerMessenger: Int { messengerSteps }

    /// A messenger of pair `k` made outside the run, for evaluation: cloned from D_n as Algorithm 1
    /// clones one and trained one step per (real, fake) batch, with the caller's penalty stream.
    /// It is a new player, so the run's messengers, players and streams are left as they were
    /// (it allocates, which evaluation can afford). Nil in simplified SGAN, which has no messengers.
    public func probeMessenger(_ k: Int, batches: [(real: Tensor, fake: Tensor)], penaltyStream: inout RandomStream) -> Module? {
        guard options.messengers else { return nil }
        let discriminator = locals[k].discriminator
        let messenger = Player(network: discriminator.network.copy(), optimizer: context.configuration.resolvedDiscriminatorOptimizer.make())
        clone(discriminator, into: messenger)
        // Whole batches in this process: a probe is not one of the ranks' collective steps.
        var rules = context.rules
        rules.shard = nil
        for batch in batches {
            _ = rules.discriminatorStep(messenger, real: batch.real, fake: batch.fake, penaltyStream: &penaltyStream)
        }
        return messenger.network
    }

    /// Lines 22–26: G0 learns against the critics of `ks` at once, with fresh noise for each.
    func updateGlobalGenerator(against critics: [Module], of ks: [Int]) -> GlobalGeneratorStatistics {
        let noises = ks.map { k in context.batch(.globalGeneratorNoise, pair: k) { context.noise(&messengerStreams[k].streams.noise) } }
        let r = globalRules.generatorGradients(global.generator.network, against: critics, noises: noises)
        global.generator.update(r.gradients)
        return GlobalGeneratorStatistics(losses: r.losses, weights: r.weights, overflows: r.overflows, gradientNorms: [GameRules.norm(of: r.gradients)])
    }

    /// Line 29's fake batch for pair n: G_n's samples, from D0's noise stream for n. A copy of
    /// G_n samples, so that sampling leaves G_n's batch statistics alone.
    func localGeneratorSamples(_ k: Int) -> Tensor {
        let z = context.batch(.globalDiscriminatorNoise, pair: k) { context.noise(&globalDiscriminatorStreams[k].streams.noise) }
        return locals[k].generator.network.copy()(z)
    }

    /// Line 29's real batch for pair n, from D0's data stream for n.
    func globalDiscriminatorRealBatch(_ k: Int) -> Tensor {
        context.batch(.globalDiscriminatorReal, pair: k) { context.realBatch(&globalDiscriminatorStreams[k].streams.data) }
    }

    /// Lines 27–31: D0 learns from the real and fake batches of `ks` at once.
    func updateGlobalDiscriminator(from batches: [(real: Tensor, fake: Tensor)], of ks: [Int]) -> GlobalDiscriminatorStatistics {
        var penaltyStreams = ks.map { globalDiscriminatorStreams[$0].streams.penalty }
        let r = context.rules.discriminatorGradients(global.discriminator.network, batches: batches, penaltyStreams: &penaltyStreams)
        for (i, k) in ks.enumerated() { globalDiscriminatorStreams[k].streams.penalty = penaltyStreams[i] }
        global.discriminator.update(r.gradients)
        context.configuration.objective.afterDiscriminatorUpdate(global.discriminator.network)
        return GlobalDiscriminatorStatistics(losses: r.losses, penalties: r.penalties)
    }

    // MARK: - Reporting and state

    /// Every player's statistics in a fixed order: G1, D1, …, GN, DN, G0, D0, M1, …, MN.
    func statistics(local: [PairStatistics], messengers: [PlayerStatistics?], globalGenerator g0: GlobalGeneratorStatistics,
                    globalDiscriminator d0: GlobalDiscriminatorStatistics) -> [PlayerStatistics] {
        let n = Float(locals.count)
        var players = local.enumerated().flatMap { $0.element.named("\($0.offset + 1)") }
        let variances = g0.weights.map { GeneratorWeighting.variance(ofScaled: $0) }
        players.append(PlayerStatistics(player: "G0", loss: g0.losses.reduce(0, +),
                                        weightVariance: globalRules.weighting == .uniform ? nil : variances.reduce(0, +) / n,
                                        weightOverflows: globalRules.weighting == .iwgan ? g0.overflows.reduce(0, +) : nil,
                                        gradientNorm: g0.gradientNorms.isEmpty ? nil : g0.gradientNorms.reduce(0, +) / Float(g0.gradientNorms.count)))
        let penalties = d0.penalties.compactMap { $0 }
        players.append(PlayerStatistics(player: "D0", loss: d0.losses.reduce(0, +), penalty: penalties.isEmpty ? nil : penalties.reduce(0, +) / n))
        return players + messengers.compactMap { $0 }
    }

    /// The global pair's and N-SW's players, by the names a checkpoint uses.
    var namedPlayers: [(String, Player)] {
        [("global.generator", global.generator), ("global.discriminator", global.discriminator)] + (sharing?.namedPlayers ?? [])
    }

    /// A generator's samples for several noise batches: one pass when it treats samples
    /// independently, one per batch otherwise.
    static func generate(_ generator: Module, _ noises: [Tensor]) -> [Tensor] {
        guard generator.isBatchIndependent, noises.count > 1 else { return noises.map { generator($0) } }
        let all = Variable(generator(Tensor.concatenate(noises, axis: 0)))
        return GameRules.slices(all, sizes: noises.map { $0.shape[0] }).map(\.value)
    }
}

/// G0's statistics from one or more updates, one entry per critic.
struct GlobalGeneratorStatistics {
    var losses: [Float] = []
    var weights: [[Float]] = []
    var overflows: [Int] = []
    /// One per update of G0.
    var gradientNorms: [Float] = []

    static func + (a: Self, b: Self) -> Self {
        Self(losses: a.losses + b.losses, weights: a.weights + b.weights, overflows: a.overflows + b.overflows,
             gradientNorms: a.gradientNorms + b.gradientNorms)
    }
}

/// D0's statistics from one or more updates, one entry per local pair.
struct GlobalDiscriminatorStatistics {
    var losses: [Float] = []
    var penalties: [Float?] = []

    static func + (a: Self, b: Self) -> Self { Self(losses: a.losses + b.losses, penalties: a.penalties + b.penalties) }
}

/// A pair of streams owned by one task at a time.
final class StreamBox: @unchecked Sendable {
    var streams: PairStreams
    init(_ streams: PairStreams) { self.streams = streams }
}
