import Foundation
import GANKitTraining

/// Every option of `gankit train`, as the command line and a configuration file spell it
/// (`batch-size: 64` in YAML is `--batch-size 64`). All optional: a value comes from the
/// command line, else the configuration file, else the defaults (`withDefaults()`). The run's
/// `config.json` is this structure fully resolved, so `--config RUN/config.json` repeats a run.
/// A new option is a field here and a line in `all`.
public struct TrainOptions: Equatable, Sendable {
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
    public var messengerSteps: Int?
    public var messengerStepsFrom: Int?
    public var messengerStepsBefore: Int?
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
    public var spectralNorm: Bool?
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
    public var evalMessengerSteps: Int?
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
    public var memoryLimit: String?
    public var bestMetric: BestMetricName?
    public var dataParallel: Bool?

    public init() {}

    /// Every option, in the order `gankit train --help` lists them: its name (the flag without
    /// `--`, and the configuration files' key), the field it sets, and its help. This table is
    /// the options' one declaration: the command line, configuration files, `config.json`,
    /// experiment files and `--help` all read it.
    static let all: [TrainOption] = [
        .init("dataset", \.dataset, help: "ring8, ring8-wegan, ring10, grid25, swissroll, mnist, fashion-mnist, cifar10, folder, text or fortunes."),
        .init("data-dir", \.dataDir, help: "Directory of the MNIST-format IDX files or of CIFAR-10's binary batches or archive (default $GANKIT_DATASETS_DIR/<dataset> or ../shared/datasets/<dataset>); the folder of PNG/JPEG images for folder; of the text files (one sentence a line) for text; of fortune files for fortunes (default /usr/share/games/fortunes)."),
        .init("image-size", \.imageSize, help: "Images: side in pixels (mnist and fashion-mnist 28, cifar10 32; folder 28, 32 or 64, default 64)."),
        .init("channels", \.channels, help: "Folder: 1 (grey) or 3 (RGB) converts every image (default: the images' own, which must agree)."),
        .init("skip-bad-images", \.skipBadImages, help: "Folder: leave out, and count, corrupt images and images of another channel count.", flag: true),
        .init("noise", \.noise, help: "Noise z: normal (N(0, 1)) or uniform (on [-1, 1])."),
        .init("weight-init", \.weightInit, help: "Initial weights: pytorch (PyTorch's default) or dcgan (N(0, 0.02); the default with --architecture dcgan)."),
        .init("sequence-length", \.sequenceLength, help: "Text: characters per sentence, truncated or padded (default 32)."),
        .init("vocabulary", \.vocabulary, help: "Text: at most this many symbols, the most frequent characters plus padding and unknown (default 2048)."),
        .init("mnist-limit", \.mnistLimit, help: "Train on the first N images only."),
        .init("objective", \.objective, help: "minimax, non-saturating, wgan, wgan-gp, dragan, hinge or lsgan."),
        .init("weighting", \.weighting, help: "uniform, wegan or iwgan."),
        .init("beta", \.beta, help: "WeGAN's β in [0, 1)."),
        .init("weighting-form", \.weightingForm, help: "WeGAN's weight form: threshold, power or exponential."),
        .init("topology", \.topology, help: "single, sgan, ensemble (independent pairs) or repeated (one pair updated --pairs times)."),
        .init("pairs", \.pairs, help: "Local pairs N of SGAN (or of ensemble/repeated)."),
        .init("messengers", \.messengers, help: "SGAN messengers: true (Algorithm 1) or false (simplified SGAN)."),
        .init("messenger-optimizer", \.messengerOptimizer, help: "SGAN messengers start from D_n's optimizer state (copy) or a fresh one (fresh)."),
        .init("messenger-steps", \.messengerSteps, help: "SGAN messengers: steps against G0 per iteration (default: --discriminator-steps, as in Algorithm 1)."),
        .init("messenger-steps-from", \.messengerStepsFrom, help: "SGAN messengers: take --messenger-steps from this iteration on, --discriminator-steps before it (default: from the start)."),
        .init("messenger-steps-before", \.messengerStepsBefore, help: "SGAN messengers: steps before --messenger-steps-from (default: --discriminator-steps); with --messenger-steps 1, a switch from many steps to Algorithm 1's."),
        .init("shared-generator-layers", \.sharedGeneratorLayers, help: "N-SW SGAN: the local generators share their last K layers with parameters (default 0)."),
        .init("shared-discriminator-layers", \.sharedDiscriminatorLayers, help: "N-SW SGAN: the local discriminators share their first K layers with parameters (default 0)."),
        .init("global-updates", \.globalUpdates, help: "SGAN: G0 and D0 step per-iteration (Algorithm 1) or per-local-update (appendix, Fig. 11)."),
        .init("weighted-generators", \.weightedGenerators, help: "SGAN with WeGAN weighting: weight the local, global or both generators' losses."),
        .init("critic-offset", \.criticOffset, help: "WeGAN: c in d = σ(f − c) for critics whose output is not a probability."),
        .init("iterations", \.iterations, help: "Iterations in all."),
        .init("batch-size", \.batchSize, help: "Batch size."),
        .init("latent-dim", \.latentDim, help: "Dimension of the noise z."),
        .init("architecture", \.architecture, help: "mlp, dcgan, sgan-cnn (SGAN's 28×28 MNIST CNN) or char-resnet (text)."),
        .init("width", \.width, help: "Hidden units per layer (mlp), D's first and G's last channel count (dcgan) or channels (char-resnet)."),
        .init("depth", \.depth, help: "Hidden layers (mlp) or residual blocks (char-resnet)."),
        .init("leaky-slope", \.leakySlope, help: "Slope of the MLPs' LeakyReLU."),
        .init("spectral-norm", \.spectralNorm, help: "Spectrally normalise every weight of the discriminators (Miyato et al. 2018; PyTorch's spectral_norm, one power-iteration step per pass); they then have no BatchNorm.", flag: true),
        .init("learning-rate", \.learningRate, help: "Learning rate of every optimizer (default: the objective's)."),
        .init("generator-learning-rate", \.generatorLearningRate, help: "Learning rate of the generators (overrides --learning-rate)."),
        .init("discriminator-learning-rate", \.discriminatorLearningRate, help: "Learning rate of the discriminators (overrides --learning-rate)."),
        .init("optimizer", \.optimizer, help: "adam, rmsprop or sgd (default: the objective's; Adam β1 0.5 for GANs)."),
        .init("adam-beta1", \.adamBeta1, help: "Adam's β1."),
        .init("adam-beta2", \.adamBeta2, help: "Adam's β2."),
        .init("discriminator-steps", \.discriminatorSteps, help: "Discriminator steps per generator step (default 5 for wgan/wgan-gp, else 1)."),
        .init("penalty-weight", \.penaltyWeight, help: "Gradient penalty weight λ (wgan-gp, dragan)."),
        .init("clip-value", \.clipValue, help: "WGAN's clipping bound."),
        .init("dragan-scale", \.draganScale, help: "DRAGAN's perturbation scale c."),
        .init("seed", \.seed, help: "Random seed."),
        .init("threads", \.threads, help: "Threads (results depend on the seed and this count)."),
        .init("memory-limit", \.memoryLimit, help: "Refuse a run estimated to need more memory than this: 24G, 512M or bytes (default: the machine's memory)."),
        .init("out", \.out, help: "Run directory (default runs/<timestamp>).", valueName: "RUN_DIR"),
        .init("checkpoint-every", \.checkpointEvery, help: "Write a checkpoint every K iterations (and at the end)."),
        .init("keep-checkpoints", \.keepCheckpoints, help: "Keep the last K checkpoints (default 1); resume continues from the newest."),
        .init("log-every", \.logEvery, help: "Log metrics.jsonl and TensorBoard scalars every K iterations."),
        .init("eval-every", \.evalEvery, help: "Evaluate metrics every K iterations (0: never; toy data default: 10 times a run)."),
        .init("eval-samples", \.evalSamples, help: "Samples per evaluation during training."),
        .init("best-metric", \.bestMetric, help: "Keep the best-scoring checkpoint in RUN/best by this metric: mmd2_sigma_0.1 or modes_covered_strict (toy), fid_classifier or inception_score (MNIST-format), fid_inception or inception_score_inception (with --inception-weights), js_4 (text); default the first that applies."),
        .init("inception-weights", \.inceptionWeights, help: "Images: score FID and IS on the FID Inception network with these weights (scripts/convert-inception-weights; default $GANKIT_INCEPTION_WEIGHTS for cifar10 and folder).", valueName: "FILE"),
        .init("eval-generators", \.evalGenerators, help: "Evaluate the product generator only (product) or every generator and the local pairs' ensemble (all)."),
        .init("eval-messenger-steps", \.evalMessengerSteps, help: "SGAN on toy data with --eval-generators all: steps of the messengers each evaluation makes to measure where they pull G0's samples (default: --messenger-steps)."),
        .init("sample-every", \.sampleEvery, help: "Save a sample snapshot every K iterations (0: only at the end)."),
        .init("init-from", \.initFrom, help: "Start from these weights (safetensors, e.g. from PyTorch): names prefixed generator., discriminator., G0., D0., Gk., Dk.", valueName: "FILE"),
        .init("data-parallel", \.dataParallel, help: "Under mpirun -np K: train one pair with each batch split over the K ranks (gradients summed in rank order; BatchNorm as PyTorch's DDP: each rank's own rows, rank 0's running statistics).", flag: true),
    ]

    /// The keys a configuration file may use.
    static var keys: [String] { all.map(\.key) }
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
