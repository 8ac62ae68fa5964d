import Foundation
import GANKitAutodiff
import GANKitNN
import GANKitTensor

/// The one training loop. A configuration's objective, weighting and topology are values it is
/// parameterised by: a standard pair, a WeGAN-weighted pair and a 5-S-WGAN-GP run the same code.
public final class Trainer: @unchecked Sendable {
    public let configuration: TrainingConfiguration
    public let data: any RealDataSource
    /// The local pairs of SGAN, or the single pair.
    public let pairs: [GANPair]
    /// SGAN's global pair (G0, D0); nil for other topologies.
    public let global: GANPair?
    /// SGAN: streams of messenger n (and of G0's update against it), and of D0 against G_n.
    public var messengerStreams: [PairStreams] { messengerStreamBoxes.map(\.streams) }
    public var globalDiscriminatorStreams: [PairStreams] { globalDiscriminatorStreamBoxes.map(\.streams) }
    /// One box per n, so that concurrent tasks each advance only their own streams.
    private var messengerStreamBoxes: [StreamBox]
    private var globalDiscriminatorStreamBoxes: [StreamBox]
    /// N-SW: the layers the local generators and discriminators share (nil: none).
    let sharedGeneratorLayers: SharedLayers?
    let sharedDiscriminatorLayers: SharedLayers?
    /// Iterations completed.
    public private(set) var iteration = 0
    /// Batches to use instead of drawn ones (tests reproducing PyTorch's iterations).
    public var injector: (any BatchInjector)?
    private var observers: [any TrainingObserver] = []

    /// Builds every player from the configuration's seed. Fails with the option at fault.
    public init(configuration: TrainingConfiguration, data: any RealDataSource) throws(ConfigurationError) {
        try configuration.validate(dataShape: data.sampleShape)
        self.configuration = configuration
        self.data = data
        let root = RandomStream(seed: configuration.seed)
        let localCount: Int
        switch configuration.topology {
        case .sgan(let o): localCount = o.pairs
        case .ensemble(let n): localCount = n
        case .single, .repeatedPair: localCount = 1
        }
        pairs = (0..<localCount).map { Self.makePair(configuration, root: root.derived("pair").derived($0)) }
        if case .sgan(let o) = configuration.topology {
            sharedGeneratorLayers = try SharedLayers(count: o.sharedGeneratorLayers, fromStart: false, networks: pairs.map(\.generator.network),
                                                     optimizer: configuration.resolvedGeneratorOptimizer.make(), option: "shared-generator-layers")
            sharedDiscriminatorLayers = try SharedLayers(count: o.sharedDiscriminatorLayers, fromStart: true,
                                                         networks: pairs.map(\.discriminator.network),
                                                         optimizer: configuration.resolvedDiscriminatorOptimizer.make(), option: "shared-discriminator-layers")
            global = Self.makePair(configuration, root: root.derived("global"))
            messengerStreamBoxes = (0..<o.pairs).map { StreamBox(PairStreams(root.derived("messenger").derived($0))) }
            globalDiscriminatorStreamBoxes = (0..<o.pairs).map { StreamBox(PairStreams(root.derived("global-discriminator").derived($0))) }
        } else {
            sharedGeneratorLayers = nil
            sharedDiscriminatorLayers = nil
            global = nil
            messengerStreamBoxes = []
            globalDiscriminatorStreamBoxes = []
        }
    }

    private static func makePair(_ c: TrainingConfiguration, root: RandomStream) -> GANPair {
        var gInit = root.derived("init.generator"), dInit = root.derived("init.discriminator")
        let g = c.networks.makeGenerator(using: &gInit)
        let d = c.networks.makeDiscriminator(batchNorm: !c.objective.kind.usesGradientPenalty, using: &dInit)
        return GANPair(generator: Player(network: g, optimizer: c.resolvedGeneratorOptimizer.make()),
                       discriminator: Player(network: d, optimizer: c.resolvedDiscriminatorOptimizer.make()),
                       streams: PairStreams(root.derived("run")))
    }

    func restoreCounters(iteration: Int, messengerStreams: [PairStreams], globalDiscriminatorStreams: [PairStreams]) {
        self.iteration = iteration
        messengerStreamBoxes = messengerStreams.map(StreamBox.init)
        globalDiscriminatorStreamBoxes = globalDiscriminatorStreams.map(StreamBox.init)
    }

    public func addObserver(_ observer: any TrainingObserver) { observers.append(observer) }

    /// The generator a user keeps: G0 in SGAN, the single generator otherwise.
    public var productGenerator: Module { (global ?? pairs[0]).generator.network }

    // MARK: - Iterations

    /// Runs one iteration of the configured topology and reports it.
    @discardableResult
    public func step() -> IterationReport {
        let start = DispatchTime.now().uptimeNanoseconds
        let threads = configuration.threads
        let players: [PlayerStatistics] = BLAS.withThreads(threads) {
            switch configuration.topology {
            case .single:
                return pairIteration(0, weighted: true).named("")
            case .repeatedPair(let updates):
                var last: PairStatistics!
                for _ in 0..<updates { last = pairIteration(0, weighted: true) }
                return last.named("")
            case .sgan(let options):
                return sganIteration(options, threads: threads)
            case .ensemble:
                return ensembleIteration(threads: threads)
            }
        }
        iteration += 1
        let report = IterationReport(iteration: iteration, players: players,
                                     seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        for o in observers { o.trainer(self, didFinish: report) }
        return report
    }

    /// Runs `count` iterations.
    public func train(iterations count: Int) {
        for _ in 0..<count { step() }
    }

    private var rules: GameRules { GameRules(objective: configuration.objective, weighting: configuration.weighting) }

    private func batch(_ role: BatchRole, pair: Int, draw: () -> Tensor) -> Tensor {
        injector?.batch(role, pair: pair) ?? draw()
    }

    private func noise(_ stream: inout RandomStream) -> Tensor {
        configuration.networks.noise.sample(configuration.batchSize, using: &stream)
    }

    private func realBatch(_ cursor: inout DataCursor) -> Tensor { data.nextBatch(configuration.batchSize, cursor: &cursor) }

    /// Standard training of pair `k` for one iteration: I_D discriminator steps, then one generator
    /// step. SGAN's local pairs run exactly this.
    private func pairIteration(_ k: Int, weighted: Bool) -> PairStatistics {
        let pair = pairs[k]
        let rules = weighted ? self.rules : GameRules(objective: configuration.objective)
        var d: (loss: Float, penalty: Float?) = (0, nil)
        var sharedD: [[String: Tensor]] = []
        for _ in 0..<configuration.resolvedDiscriminatorSteps {
            let real = batch(.discriminatorReal, pair: k) { realBatch(&pair.streams.data) }
            let z = batch(.discriminatorNoise, pair: k) { noise(&pair.streams.noise) }
            let fake = pair.generator.network(z)
            if let shared = sharedDiscriminatorLayers {
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
        var statistics = PairStatistics(generator: g, discriminator: d, weighted: weighted && rules.weighting != .uniform)
        if let shared = sharedGeneratorLayers {
            let (local, mine) = shared.split(g.gradients)
            pair.generator.update(local)
            statistics.sharedGeneratorGradients = mine
        } else {
            pair.generator.update(g.gradients)
        }
        if !sharedD.isEmpty {
            var mean = Self.sum(sharedD)
            for key in mean.keys { mean[key] = mean[key]! * (1 / Float(sharedD.count)) }
            statistics.sharedDiscriminatorGradients = mean
        }
        return statistics
    }

    /// N-SW: the shared layers' one update per iteration, after every local pair's steps.
    private func updateSharedLayers(_ local: ResultSlots<PairStatistics>) {
        let all = local.all
        if let shared = sharedGeneratorLayers {
            shared.update(with: all.map { $0.sharedGeneratorGradients ?? [:] }, networks: pairs.map(\.generator.network))
        }
        if let shared = sharedDiscriminatorLayers {
            shared.update(with: all.map { $0.sharedDiscriminatorGradients ?? [:] }, networks: pairs.map(\.discriminator.network),
                          constrain: configuration.objective.afterDiscriminatorUpdate)
        }
    }

    /// One iteration of every pair, independently (in parallel where threads allow).
    private func ensembleIteration(threads: Int) -> [PlayerStatistics] {
        let results = ResultSlots<PairStatistics>(count: pairs.count)
        let graph = TaskGraph()
        for k in pairs.indices { graph.add { results[k] = self.pairIteration(k, weighted: true) } }
        BLAS.withThreads(1) { graph.run(threads: threads) }
        return pairs.indices.flatMap { results[$0]!.named("\($0 + 1)") }
    }

    /// One SGAN iteration (Algorithm 1; `../shared/spec/sgan.md`).
    ///
    /// G0 and D0 each learn from all N pairs in one pass where their networks allow (no batch
    /// statistics): G0 generates every messenger's batches at once, and D0 scores every local
    /// generator's samples at once, so that each weight matrix is used on N batches per product.
    /// Each global player is used by one task at a time, so its passes run on the player itself
    /// and its batch-norm statistics follow them, as a local pair's do.
    private func sganIteration(_ options: SGANOptions, threads: Int) -> [PlayerStatistics] {
        guard let global else { preconditionFailure("SGAN without a global pair") }
        let n = pairs.count
        let weightLocal = options.weightedGenerators != .global
        let weightGlobal = options.weightedGenerators != .local
        let globalRules = weightGlobal ? rules : GameRules(objective: configuration.objective)
        let local = ResultSlots<PairStatistics>(count: n)
        let globalSamples = ResultSlots<[Tensor]>(count: n)
        let messengerResults = ResultSlots<(loss: Float, penalty: Float?)>(count: n)
        let critics = ResultSlots<Module>(count: n)
        let globalBatches = ResultSlots<(real: Tensor, fake: Tensor)>(count: n)
        var g0Statistics: (losses: [Float], weights: [[Float]], overflows: [Int]) = ([], [], [])
        var d0Statistics: (losses: [Float], penalties: [Float?]) = ([], [])
        let g0 = global.generator.network, d0 = global.discriminator.network
        let steps = configuration.resolvedDiscriminatorSteps

        /// G0's samples for the discriminator steps of messengers `ks`, from their own streams.
        func sampleGlobalGenerator(for ks: [Int]) {
            let noises = ks.map { k in
                let box = messengerStreamBoxes[k]
                return (0..<steps).map { _ in batch(.messengerNoise, pair: k) { noise(&box.streams.noise) } }
            }
            let samples = Self.generate(g0, noises.flatMap { $0 })
            for (i, k) in ks.enumerated() { globalSamples[k] = Array(samples[(i * steps)..<((i + 1) * steps)]) }
        }

        /// Messenger n: a clone of D_n trained against G0 (or D_n itself in simplified SGAN).
        func prepareCritic(_ k: Int) {
            guard options.messengers else {
                critics[k] = pairs[k].discriminator.network.copy()  // simplified SGAN: D_n itself, unchanged
                return
            }
            let box = messengerStreamBoxes[k]
            let messenger = pairs[k].discriminator.clone(freshOptimizer: options.messengerCopiesOptimizerState
                ? nil : configuration.resolvedDiscriminatorOptimizer.make())
            for step in 0..<steps {
                let real = batch(.messengerReal, pair: k) { realBatch(&box.streams.data) }
                messengerResults[k] = rules.discriminatorStep(messenger, real: real, fake: globalSamples[k]![step], penaltyStream: &box.streams.penalty,
                                                              isLast: step == steps - 1)  // the messenger is dropped after it
            }
            critics[k] = messenger.network
        }

        /// G0 learns against the critics of `ks`, with fresh noise for each.
        func updateGlobalGenerator(against ks: [Int]) {
            let noises = ks.map { k in
                let box = messengerStreamBoxes[k]
                return batch(.globalGeneratorNoise, pair: k) { noise(&box.streams.noise) }
            }
            let r = globalRules.generatorGradients(g0, against: ks.map { critics[$0]! }, noises: noises)
            global.generator.update(r.gradients)
            g0Statistics.losses += r.losses
            g0Statistics.weights += r.weights
            g0Statistics.overflows += r.overflows
        }

        /// D0's real batch and G_n's samples for pair n.
        func drawGlobalDiscriminatorBatch(_ k: Int) {
            let box = globalDiscriminatorStreamBoxes[k]
            let real = batch(.globalDiscriminatorReal, pair: k) { realBatch(&box.streams.data) }
            let z = batch(.globalDiscriminatorNoise, pair: k) { noise(&box.streams.noise) }
            globalBatches[k] = (real, pairs[k].generator.network.copy()(z))  // a copy: sampling must not touch G_n's statistics
        }

        /// D0 learns from the batches of `ks`.
        func updateGlobalDiscriminator(from ks: [Int]) {
            var penaltyStreams = ks.map { globalDiscriminatorStreamBoxes[$0].streams.penalty }
            let r = rules.discriminatorGradients(d0, batches: ks.map { globalBatches[$0]! }, penaltyStreams: &penaltyStreams)
            for (i, k) in ks.enumerated() { globalDiscriminatorStreamBoxes[k].streams.penalty = penaltyStreams[i] }
            global.discriminator.update(r.gradients)
            configuration.objective.afterDiscriminatorUpdate(d0)
            d0Statistics.losses += r.losses
            d0Statistics.penalties += r.penalties
        }

        let graph = TaskGraph()
        var localTasks = (0..<n).map { k in graph.add { local[k] = self.pairIteration(k, weighted: weightLocal) } }
        if sharedGeneratorLayers != nil || sharedDiscriminatorLayers != nil {
            // Messengers copy D_n and D0 samples G_n only after the shared layers' update.
            let sharedUpdate = graph.add(after: localTasks) { self.updateSharedLayers(local) }
            localTasks = localTasks.map { _ in sharedUpdate }
        }
        let all = Array(0..<n)
        if options.globalUpdates == .perIteration {
            // G0's samples need only G0, so they are made while the local pairs train; messengers
            // (the longer tasks) come next; G0 learns as soon as every messenger has spoken, while
            // D0's batches fill the other core; D0 learns last.
            let samplesTask = options.messengers ? [graph.add { sampleGlobalGenerator(for: all) }] : []
            let criticTasks = all.map { k in graph.add(after: [localTasks[k]] + samplesTask) { prepareCritic(k) } }
            graph.add(after: criticTasks) { updateGlobalGenerator(against: all) }
            let batchTasks = all.map { k in graph.add(after: [localTasks[k]]) { drawGlobalDiscriminatorBatch(k) } }
            graph.add(after: batchTasks) { updateGlobalDiscriminator(from: all) }
        }
        // Players run one per thread; BLAS stays single-threaded meanwhile, so cores are not
        // oversubscribed and each GEMM is computed the same way whatever the schedule.
        BLAS.withThreads(1) { graph.run(threads: threads) }
        if options.globalUpdates == .perLocalUpdate {
            // The global pair learns after each local pair in turn: inherently sequential.
            for k in 0..<n {
                if options.messengers { sampleGlobalGenerator(for: [k]) }
                prepareCritic(k)
                updateGlobalGenerator(against: [k])
                drawGlobalDiscriminatorBatch(k)
                updateGlobalDiscriminator(from: [k])
            }
        }

        var players: [PlayerStatistics] = []
        for k in 0..<n { players += local[k]!.named("\(k + 1)") }
        let variances: [Float] = g0Statistics.weights.map { GeneratorWeighting.variance(ofScaled: $0) }
        players.append(PlayerStatistics(player: "G0", loss: g0Statistics.losses.reduce(0, +),
                                        weightVariance: globalRules.weighting == .uniform ? nil : variances.reduce(0, +) / Float(n),
                                        weightOverflows: globalRules.weighting == .iwgan ? g0Statistics.overflows.reduce(0, +) : nil))
        let penalties: [Float] = d0Statistics.penalties.compactMap { $0 }
        players.append(PlayerStatistics(player: "D0", loss: d0Statistics.losses.reduce(0, +),
                                        penalty: penalties.isEmpty ? nil : penalties.reduce(0, +) / Float(n)))
        for k in 0..<n {
            if let m = messengerResults[k] { players.append(PlayerStatistics(player: "M\(k + 1)", loss: m.loss, penalty: m.penalty)) }
        }
        return players
    }

    /// A generator's samples for several noise batches: one pass when it treats samples
    /// independently, one per batch otherwise.
    static func generate(_ generator: Module, _ noises: [Tensor]) -> [Tensor] {
        guard generator.isBatchIndependent, noises.count > 1 else { return noises.map { generator($0) } }
        let all = Variable(generator(Tensor.concatenate(noises, axis: 0)))
        return GameRules.slices(all, sizes: noises.map { $0.shape[0] }).map(\.value)
    }

    /// Sums gradient dictionaries in order (N-SW averages its shared layers' gradients over the pairs).
    static func sum(_ parts: [[String: Tensor]]) -> [String: Tensor] {
        var total = parts[0]
        for part in parts.dropFirst() {
            for (name, g) in part { total[name]!.addScaled(g) }
        }
        return total
    }
}

/// A pair of streams owned by one task at a time.
final class StreamBox: @unchecked Sendable {
    var streams: PairStreams
    init(_ streams: PairStreams) { self.streams = streams }
}

/// Statistics of one pair's iteration, before naming the players.
struct PairStatistics {
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

    func named(_ suffix: String) -> [PlayerStatistics] {
        [PlayerStatistics(player: "G\(suffix)", loss: generatorLoss, weightVariance: weightVariance, weightOverflows: overflows),
         PlayerStatistics(player: "D\(suffix)", loss: discriminatorLoss, penalty: penalty)]
    }
}
