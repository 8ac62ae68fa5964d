import Foundation
import GANKitTraining

/// Every option of `gankit train`, as the command line and a configuration file spell it
/// (`batch-size: 64` in YAML is `--batch-size 64`). All optional: a value comes from the
/// command line, else the configuration file, else the defaults (`withDefaults()`). The run's
/// `config.json` is this structure fully resolved, so `--config RUN/config.json` repeats a run.
public struct TrainOptions: Codable, Equatable, Sendable {
    public var dataset: DatasetName?
    public var dataDir: String?
    public var mnistLimit: Int?
    public var objective: ObjectiveKind?
    public var weighting: WeightingName?
    public var beta: Float?
    public var weightingForm: WeGANWeighting.Form?
    public var topology: TopologyName?
    public var pairs: Int?
    public var messengers: Bool?
    public var messengerOptimizer: MessengerOptimizerName?
    public var globalUpdates: GlobalUpdatesName?
    public var weightedGenerators: SGANOptions.WeightedGenerators?
    public var criticOffset: Float?
    public var iterations: Int?
    public var batchSize: Int?
    public var latentDim: Int?
    public var architecture: ArchitectureName?
    public var width: Int?
    public var depth: Int?
    public var leakySlope: Float?
    public var learningRate: Float?
    public var generatorLearningRate: Float?
    public var discriminatorLearningRate: Float?
    public var optimizer: OptimizerName?
    public var adamBeta1: Float?
    public var adamBeta2: Float?
    public var discriminatorSteps: Int?
    public var penaltyWeight: Float?
    public var clipValue: Float?
    public var draganScale: Float?
    public var seed: UInt64?
    public var threads: Int?
    public var out: String?
    public var checkpointEvery: Int?
    public var logEvery: Int?
    public var evalEvery: Int?
    public var evalSamples: Int?
    public var evalGenerators: EvalGeneratorsName?
    public var sampleEvery: Int?
    public var initFrom: String?
    public var sequenceLength: Int?
    public var vocabulary: Int?
    public var keepCheckpoints: Int?
    public var imageSize: Int?
    public var channels: Int?
    public var skipBadImages: Bool?
    public var noise: LatentNoise.Distribution?
    public var weightInit: WeightInitName?
    public var inceptionWeights: String?
    public var sharedGeneratorLayers: Int?
    public var sharedDiscriminatorLayers: Int?
    /// Refuse a run whose estimated memory exceeds this (`24G`, `512M`, bytes); default: the machine's.
    public var memoryLimit: String?
    public var bestMetric: BestMetricName?
    /// Under `mpirun -np K`: one pair, each batch split over the K ranks (`DataParallelGroup`).
    public var dataParallel: Bool?

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case dataset, dataDir = "data-dir", mnistLimit = "mnist-limit", objective, weighting, beta, weightingForm = "weighting-form"
        case topology, pairs, messengers, messengerOptimizer = "messenger-optimizer", globalUpdates = "global-updates"
        case weightedGenerators = "weighted-generators", criticOffset = "critic-offset", iterations, batchSize = "batch-size", latentDim = "latent-dim", architecture, width, depth
        case leakySlope = "leaky-slope", learningRate = "learning-rate", generatorLearningRate = "generator-learning-rate"
        case discriminatorLearningRate = "discriminator-learning-rate", optimizer, adamBeta1 = "adam-beta1", adamBeta2 = "adam-beta2"
        case discriminatorSteps = "discriminator-steps", penaltyWeight = "penalty-weight", clipValue = "clip-value"
        case draganScale = "dragan-scale", seed, threads, out
        case checkpointEvery = "checkpoint-every", logEvery = "log-every", evalEvery = "eval-every", evalSamples = "eval-samples"
        case evalGenerators = "eval-generators"
        case sampleEvery = "sample-every"
        case initFrom = "init-from"
        case sequenceLength = "sequence-length", vocabulary, keepCheckpoints = "keep-checkpoints"
        case imageSize = "image-size", channels, skipBadImages = "skip-bad-images", noise, weightInit = "weight-init"
        case inceptionWeights = "inception-weights"
        case sharedGeneratorLayers = "shared-generator-layers", sharedDiscriminatorLayers = "shared-discriminator-layers"
        case memoryLimit = "memory-limit", bestMetric = "best-metric", dataParallel = "data-parallel"
    }

    /// The keys a configuration file may use.
    static var keys: [String] { CodingKeys.allCases.map(\.rawValue) }

    /// These options with every value set in `overrides` replacing this one's.
    public func overridden(by overrides: TrainOptions) -> TrainOptions {
        var merged = self
        func take<T>(_ path: WritableKeyPath<TrainOptions, T?>) { if let v = overrides[keyPath: path] { merged[keyPath: path] = v } }
        take(\.dataset); take(\.dataDir); take(\.mnistLimit); take(\.objective); take(\.weighting); take(\.beta)
        take(\.weightingForm); take(\.topology); take(\.pairs); take(\.messengers); take(\.messengerOptimizer); take(\.globalUpdates)
        take(\.weightedGenerators); take(\.criticOffset); take(\.generatorLearningRate); take(\.discriminatorLearningRate)
        take(\.optimizer); take(\.adamBeta1); take(\.adamBeta2); take(\.draganScale); take(\.iterations); take(\.batchSize)
        take(\.latentDim); take(\.architecture); take(\.width); take(\.depth); take(\.leakySlope); take(\.learningRate)
        take(\.discriminatorSteps); take(\.penaltyWeight); take(\.clipValue); take(\.seed); take(\.threads); take(\.out)
        take(\.checkpointEvery); take(\.logEvery); take(\.evalEvery); take(\.evalSamples); take(\.evalGenerators); take(\.sampleEvery)
        take(\.initFrom); take(\.sequenceLength); take(\.vocabulary); take(\.keepCheckpoints)
        take(\.imageSize); take(\.channels); take(\.skipBadImages); take(\.noise); take(\.weightInit); take(\.inceptionWeights)
        take(\.sharedGeneratorLayers); take(\.sharedDiscriminatorLayers); take(\.memoryLimit); take(\.bestMetric); take(\.dataParallel)
        return merged
    }
}

/// The data sets `--dataset` names: the toy presets, the image sets (MNIST-format IDX files,
/// CIFAR-10's binary batches, a folder of PNG/JPEG files), and text (any corpus of one sentence
/// per line, or Debian's `fortunes`).
public enum DatasetName: String, Codable, CaseIterable, Sendable {
    case ring8, ring8WeGAN = "ring8-wegan", ring10, grid25, swissroll, mnist, fashionMNIST = "fashion-mnist", cifar10, folder, text, fortunes

    public var isToy: Bool { !isImage && !isText }
    public var isImage: Bool { isIDX || self == .cifar10 || self == .folder }
    /// MNIST-format 28×28 grey images.
    public var isIDX: Bool { self == .mnist || self == .fashionMNIST }
    public var isText: Bool { self == .text || self == .fortunes }
    /// The image sides the data set can be read at (the first is the default).
    var imageSizes: [Int] { isIDX ? [28] : self == .cifar10 ? [32] : self == .folder ? [64, 32, 28] : [] }
}

/// `--weight-init`: PyTorch's default initialisation, or DCGAN's N(0, 0.02) (the default with
/// `--architecture dcgan`).
public enum WeightInitName: String, Codable, CaseIterable, Sendable { case pytorch, dcgan }

/// `--weighting`: how G's loss weights the fake samples.
public enum WeightingName: String, Codable, CaseIterable, Sendable { case uniform, wegan, iwgan }

/// `--topology`: one pair, SGAN, or SGAN's baselines (independent pairs; one pair updated N times).
public enum TopologyName: String, Codable, CaseIterable, Sendable { case single, sgan, ensemble, repeated }

/// `--messenger-optimizer`: messengers start from D_n's optimizer state (copy) or a fresh one.
public enum MessengerOptimizerName: String, Codable, CaseIterable, Sendable { case copy, fresh }

/// `--global-updates`: G0 and D0 step once per iteration (Algorithm 1) or after each local pair.
public enum GlobalUpdatesName: String, Codable, CaseIterable, Sendable {
    case perIteration = "per-iteration", perLocalUpdate = "per-local-update"
}

/// `--eval-generators`: score the product generator (G0, or the only one), or also every local
/// generator and what the local pairs cover together (SGAN Fig. 2d).
public enum EvalGeneratorsName: String, Codable, CaseIterable, Sendable { case product, all }

/// `--optimizer`: every player's optimizer (default: the objective's).
public enum OptimizerName: String, Codable, CaseIterable, Sendable { case adam, rmsprop, sgd }

/// `--architecture`.
public enum ArchitectureName: String, Codable, CaseIterable, Sendable {
    case mlp, dcgan, sganCNN = "sgan-cnn", charResNet = "char-resnet"

    /// The convolutional image nets, whose layer count follows the image size.
    var isConvolutional: Bool { self == .dcgan || self == .sganCNN }
}
