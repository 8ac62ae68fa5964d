import Foundation
import GANKitAutodiff
import GANKitNN
import GANKitTensor

/// The one training loop. A configuration's objective, weighting and topology are values it is
/// parameterised by: a standard pair, a WeGAN-weighted pair and a 5-S-WGAN-GP run the same code.
public final class Trainer: @unchecked Sendable {
    public let configuration: TrainingConfiguration
    public var data: any RealDataSource { context.data }
    /// The local pairs of SGAN or an ensemble, or the single pair.
    public let pairs: [GANPair]
    /// SGAN's state and blocks; nil for other topologies.
    public let sgan: SGAN?
    /// SGAN's global pair (G0, D0); nil for other topologies.
    public var global: GANPair? { sgan?.global }
    /// SGAN: streams of messenger n (and of G0's update against it), and of D0 against G_n.
    public var messengerStreams: [PairStreams] { sgan?.messengerStreams.map(\.streams) ?? [] }
    public var globalDiscriminatorStreams: [PairStreams] { sgan?.globalDiscriminatorStreams.map(\.streams) ?? [] }
    /// Iterations completed.
    public private(set) var iteration = 0
    /// Batches to use instead of drawn ones (tests reproducing PyTorch's iterations).
    public var injector: (any BatchInjector)? {
        get { context.injector }
        set { context.injector = newValue }
    }
    let context: TrainingContext
    /// The configured topology's iteration.
    let topology: any TopologyTraining
    private var observers: [any TrainingObserver] = []

    /// Builds every player from the configuration's seed. Fails with the option at fault.
    /// `sganSchedule` places SGAN's blocks (threads of this process unless given);
    /// `dataParallel` spreads every batch of a single pair over the ranks of a job.
    public init(configuration: TrainingConfiguration, data: any RealDataSource,
                sganSchedule: any SGANSchedule = ThreadedSGANSchedule(), dataParallel: DataParallelGroup? = nil) throws(ConfigurationError) {
        try configuration.validate(dataShape: data.sampleShape)
        if let group = dataParallel {
            switch configuration.topology {
            case .single, .repeatedPair: break
            case .sgan, .ensemble:
                throw ConfigurationError("data-parallel", "trains one pair (--topology single or repeated); SGAN spreads its local pairs over the ranks without it")
            }
            if configuration.batchSize < group.ranks {
                throw ConfigurationError("batch-size", "\(configuration.batchSize) rows cannot be spread over \(group.ranks) ranks; use at least one row per rank")
            }
        }
        self.configuration = configuration
        context = TrainingContext(configuration: configuration, data: data, dataParallel: dataParallel)
        let root = RandomStream(seed: configuration.seed)
        let localCount: Int
        switch configuration.topology {
        case .sgan(let o): localCount = o.pairs
        case .ensemble(let n): localCount = n
        case .single, .repeatedPair: localCount = 1
        }
        pairs = (0..<localCount).map { Self.makePair(configuration, root: root.derived("pair").derived($0)) }
        switch configuration.topology {
        case .single, .repeatedPair:
            sgan = nil
            var updates = 1
            if case .repeatedPair(let n) = configuration.topology { updates = n }
            let pair = RepeatedPairTraining(context: context, pair: pairs[0], updates: updates)
            topology = dataParallel.map { DataParallelTraining(group: $0, pair: pair) } ?? pair
        case .ensemble:
            sgan = nil
            topology = EnsembleTraining(context: context, pairs: pairs)
        case .sgan(let options):
            let sgan = try SGAN(options: options, context: context, locals: pairs, global: Self.makePair(configuration, root: root.derived("global")),
                                root: root, schedule: sganSchedule)
            self.sgan = sgan
            topology = sgan
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
        guard let sgan else { return }
        for (box, streams) in zip(sgan.messengerStreams, messengerStreams) { box.streams = streams }
        for (box, streams) in zip(sgan.globalDiscriminatorStreams, globalDiscriminatorStreams) { box.streams = streams }
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
        sgan?.iteration = iteration + 1
        let players = BLAS.withThreads(threads) { topology.iterate(threads: threads) }
        iteration += 1
        let report = IterationReport(iteration: iteration, players: players,
                                     seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        for o in observers { o.trainer(self, didFinish: report) }
        return report
    }

    /// Brings every player up to date in this process when some train elsewhere (SGAN over the
    /// ranks of a job): call before reading players outside an iteration. A checkpoint does.
    public func synchronize() {
        if let sgan { sgan.schedule.synchronize(sgan) }
    }

    /// Runs `count` iterations.
    public func train(iterations count: Int) {
        for _ in 0..<count { step() }
    }
}
