import GANKitNN

/// Everything that defines a training run, validated in one place before any work starts.
public struct TrainingConfiguration: Codable, Sendable, Equatable {
    public var objective: Objective
    public var weighting: GeneratorWeighting
    public var topology: Topology
    public var networks: NetworkConfiguration
    /// nil: the objective's default (`ObjectiveKind.defaultOptimizer`).
    public var generatorOptimizer: OptimizerConfiguration?
    public var discriminatorOptimizer: OptimizerConfiguration?
    /// I_D, discriminator steps per generator step; nil: the objective's default.
    public var discriminatorSteps: Int?
    public var batchSize: Int
    public var seed: UInt64
    /// Threads for SGAN's players and for BLAS; results depend on the seed and this count only.
    public var threads: Int

    public init(objective: Objective = Objective(.nonSaturating), weighting: GeneratorWeighting = .uniform, topology: Topology = .single,
                networks: NetworkConfiguration = .sganToy, generatorOptimizer: OptimizerConfiguration? = nil,
                discriminatorOptimizer: OptimizerConfiguration? = nil, discriminatorSteps: Int? = nil, batchSize: Int = 64,
                seed: UInt64 = 0, threads: Int = 1) {
        self.objective = objective
        self.weighting = weighting
        self.topology = topology
        self.networks = networks
        self.generatorOptimizer = generatorOptimizer
        self.discriminatorOptimizer = discriminatorOptimizer
        self.discriminatorSteps = discriminatorSteps
        self.batchSize = batchSize
        self.seed = seed
        self.threads = threads
    }

    public var resolvedDiscriminatorSteps: Int { discriminatorSteps ?? objective.kind.defaultDiscriminatorSteps }
    public var resolvedGeneratorOptimizer: OptimizerConfiguration { generatorOptimizer ?? objective.kind.defaultOptimizer }
    public var resolvedDiscriminatorOptimizer: OptimizerConfiguration { discriminatorOptimizer ?? objective.kind.defaultOptimizer }

    /// Rejects configurations that cannot train, naming the option at fault.
    public func validate(dataShape: [Int]? = nil) throws(ConfigurationError) {
        if batchSize < 1 { throw ConfigurationError("batch-size", "must be at least 1 (got \(batchSize))") }
        if threads < 1 { throw ConfigurationError("threads", "must be at least 1 (got \(threads))") }
        if let k = discriminatorSteps, k < 1 { throw ConfigurationError("discriminator-steps", "must be at least 1 (got \(k))") }
        if networks.latentDimension < 1 { throw ConfigurationError("latent-dim", "must be at least 1 (got \(networks.latentDimension))") }
        switch networks.architecture {
        case let .mlp(depth, width, activation):
            if depth < 0 { throw ConfigurationError("depth", "must be 0 or more (got \(depth))") }
            if width < 1 { throw ConfigurationError("width", "must be at least 1 (got \(width))") }
            if case .leakyReLU(let s) = activation, !(s >= 0 && s < 1) {
                throw ConfigurationError("activation", "LeakyReLU slope must be in [0, 1) (got \(s))")
            }
        case .dcgan(let width):
            if width < 1 { throw ConfigurationError("width", "must be at least 1 (got \(width))") }
            let s = networks.sampleShape
            if s.count != 3 || s[1] != s[2] || ![28, 32, 64].contains(s[1]) {
                throw ConfigurationError("architecture", "DCGAN nets need 28×28, 32×32 or 64×64 images, the data has samples of shape \(s)")
            }
        case .sganMNIST(let width):
            if width < 1 { throw ConfigurationError("width", "must be at least 1 (got \(width))") }
            let s = networks.sampleShape
            if s.count != 3 || s[1] != 28 || s[2] != 28 {
                throw ConfigurationError("architecture", "SGAN's MNIST CNN needs 28×28 images, the data has samples of shape \(s)")
            }
        case let .charResNet(width, blocks):
            if width < 1 { throw ConfigurationError("width", "must be at least 1 (got \(width))") }
            if blocks < 0 { throw ConfigurationError("depth", "must be 0 or more residual blocks (got \(blocks))") }
            if networks.sampleShape.count != 2 {
                throw ConfigurationError("architecture", "char-resnet needs text samples [vocabulary, length], the data has samples of shape \(networks.sampleShape)")
            }
        }
        if let dataShape, dataShape != networks.sampleShape {
            throw ConfigurationError("dataset", "samples have shape \(dataShape) but the networks are built for \(networks.sampleShape)")
        }
        switch topology {
        case .single: break
        case .sgan(let o):
            if o.pairs < 1 { throw ConfigurationError("pairs", "SGAN needs at least 1 local pair (got \(o.pairs))") }
            if o.sharedGeneratorLayers < 0 { throw ConfigurationError("shared-generator-layers", "must be 0 or more (got \(o.sharedGeneratorLayers))") }
            if let k = o.messengerSteps {
                if !o.messengers { throw ConfigurationError("messenger-steps", "applies only with messengers (simplified SGAN has none)") }
                if k < 1 { throw ConfigurationError("messenger-steps", "must be at least 1 (got \(k))") }
            }
            if let k = o.messengerStepsBefore {
                if o.messengerStepsFrom == nil {
                    throw ConfigurationError("messenger-steps-before", "applies only with --messenger-steps-from, the iteration it runs up to")
                }
                if k < 1 { throw ConfigurationError("messenger-steps-before", "must be at least 1 (got \(k))") }
            }
            if let from = o.messengerStepsFrom {
                let iD = resolvedDiscriminatorSteps
                if (o.messengerStepsBefore ?? iD) == (o.messengerSteps ?? iD) {
                    throw ConfigurationError("messenger-steps-from", "switches between --messenger-steps-before and --messenger-steps (each the discriminator steps unless set), which are both \(o.messengerSteps ?? iD)")
                }
                if from < 2 { throw ConfigurationError("messenger-steps-from", "must be an iteration of 2 or more (got \(from)); from the start, leave it out") }
            }
            if o.sharedDiscriminatorLayers < 0 {
                throw ConfigurationError("shared-discriminator-layers", "must be 0 or more (got \(o.sharedDiscriminatorLayers))")
            }
        case .ensemble(let n):
            if n < 1 { throw ConfigurationError("pairs", "an ensemble needs at least 1 pair (got \(n))") }
        case .repeatedPair(let n):
            if n < 1 { throw ConfigurationError("pairs", "the repeated pair needs at least 1 update per iteration (got \(n))") }
        }
        switch weighting {
        case .uniform: break
        case .wegan(let w):
            if !(w.beta >= 0 && w.beta < 1) { throw ConfigurationError("beta", "WeGAN's β must be in [0, 1) (got \(w.beta))") }
        case .iwgan:
            if !objective.kind.hasProbabilisticOutput {
                throw ConfigurationError("weighting", "IWGAN weights need a discriminator that outputs probabilities; objective \(objective.kind.rawValue) has a critic (use minimax, non-saturating or dragan)")
            }
        }
        for (name, optimizer) in [("learning-rate", resolvedGeneratorOptimizer), ("learning-rate", resolvedDiscriminatorOptimizer)] {
            if !(optimizer.learningRate > 0 && optimizer.learningRate.isFinite) {
                throw ConfigurationError(name, "must be a positive number (got \(optimizer.learningRate))")
            }
        }
        if objective.kind == .wgan, !(objective.clipValue > 0) {
            throw ConfigurationError("clip-value", "must be positive (got \(objective.clipValue))")
        }
        if objective.kind.usesGradientPenalty, !(objective.penaltyWeight >= 0) {
            throw ConfigurationError("penalty-weight", "must be 0 or more (got \(objective.penaltyWeight))")
        }
        if objective.kind == .dragan, !(objective.draganScale > 0) {
            throw ConfigurationError("dragan-scale", "must be positive: it scales the perturbation of the real samples (got \(objective.draganScale))")
        }
    }
}

/// A configuration that cannot train, with the option to blame.
public struct ConfigurationError: Error, CustomStringConvertible, Equatable {
    public let option: String
    public let message: String

    public init(_ option: String, _ message: String) {
        self.option = option
        self.message = message
    }

    public var description: String { "invalid --\(option): \(message)" }
}
