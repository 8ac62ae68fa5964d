import ArgumentParser
import Foundation
import GANKitTraining

/// `gankit train`: every option of the training configuration as a flag, or a YAML/JSON file of
/// the same keys (`--config`), flags winning; `--resume RUN_DIR` continues a run bit for bit.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a GAN. With no options: SGAN with 5 local pairs on the 8-Gaussian ring.")

    @Option(help: "YAML or JSON file of options, keys spelled like the flags (flags override it).") var config: String?
    @Option(help: ArgumentHelp("Continue the run in RUN_DIR from its last checkpoint (with --iterations N: up to N in all).", valueName: "RUN_DIR"))
    var resume: String?

    @Option(help: "ring8, ring8-wegan, ring10, grid25, swissroll, mnist, fashion-mnist, cifar10, folder, text or fortunes.") var dataset: DatasetName?
    @Option(help: "Directory of the MNIST-format IDX files or of CIFAR-10's binary batches or archive (default $GANKIT_DATASETS_DIR/<dataset> or ../shared/datasets/<dataset>); the folder of PNG/JPEG images for folder; of the text files (one sentence a line) for text; of fortune files for fortunes (default /usr/share/games/fortunes).")
    var dataDir: String?
    @Option(parsing: .unconditional, help: "Images: side in pixels (mnist and fashion-mnist 28, cifar10 32; folder 28, 32 or 64, default 64).") var imageSize: Int?
    @Option(parsing: .unconditional, help: "Folder: 1 (grey) or 3 (RGB) converts every image (default: the images' own, which must agree).") var channels: Int?
    @Flag(help: "Folder: leave out, and count, corrupt images and images of another channel count.") var skipBadImages = false
    @Option(help: "Noise z: normal (N(0, 1)) or uniform (on [-1, 1]).") var noise: LatentNoise.Distribution?
    @Option(help: "Initial weights: pytorch (PyTorch's default) or dcgan (N(0, 0.02); the default with --architecture dcgan).")
    var weightInit: WeightInitName?
    @Option(parsing: .unconditional, help: "Text: characters per sentence, truncated or padded (default 32).") var sequenceLength: Int?
    @Option(parsing: .unconditional, help: "Text: at most this many symbols, the most frequent characters plus padding and unknown (default 2048).") var vocabulary: Int?
    @Option(parsing: .unconditional, help: "Train on the first N images only.") var mnistLimit: Int?
    @Option(help: "minimax, non-saturating, wgan, wgan-gp, dragan, hinge or lsgan.") var objective: ObjectiveKind?
    @Option(help: "uniform, wegan or iwgan.") var weighting: WeightingName?
    @Option(parsing: .unconditional, help: "WeGAN's β in [0, 1).") var beta: Float?
    @Option(help: "WeGAN's weight form: threshold, power or exponential.") var weightingForm: WeGANWeighting.Form?
    @Option(help: "single, sgan, ensemble (independent pairs) or repeated (one pair updated --pairs times).") var topology: TopologyName?
    @Option(parsing: .unconditional, help: "Local pairs N of SGAN (or of ensemble/repeated).") var pairs: Int?
    @Option(help: "SGAN messengers: true (Algorithm 1) or false (simplified SGAN).") var messengers: Bool?
    @Option(help: "SGAN messengers start from D_n's optimizer state (copy) or a fresh one (fresh).") var messengerOptimizer: MessengerOptimizerName?
    @Option(parsing: .unconditional, help: "N-SW SGAN: the local generators share their last K layers with parameters (default 0).") var sharedGeneratorLayers: Int?
    @Option(parsing: .unconditional, help: "N-SW SGAN: the local discriminators share their first K layers with parameters (default 0).") var sharedDiscriminatorLayers: Int?
    @Option(help: "SGAN: G0 and D0 step per-iteration (Algorithm 1) or per-local-update (appendix, Fig. 11).") var globalUpdates: GlobalUpdatesName?
    @Option(help: "SGAN with WeGAN weighting: weight the local, global or both generators' losses.") var weightedGenerators: SGANOptions.WeightedGenerators?
    @Option(parsing: .unconditional, help: "WeGAN: c in d = σ(f − c) for critics whose output is not a probability.") var criticOffset: Float?
    @Option(parsing: .unconditional, help: "Iterations in all.") var iterations: Int?
    @Option(parsing: .unconditional, help: "Batch size.") var batchSize: Int?
    @Option(parsing: .unconditional, help: "Dimension of the noise z.") var latentDim: Int?
    @Option(help: "mlp, dcgan, sgan-cnn (SGAN's 28×28 MNIST CNN) or char-resnet (text).") var architecture: ArchitectureName?
    @Option(parsing: .unconditional, help: "Hidden units per layer (mlp), D's first and G's last channel count (dcgan) or channels (char-resnet).") var width: Int?
    @Option(parsing: .unconditional, help: "Hidden layers (mlp) or residual blocks (char-resnet).") var depth: Int?
    @Option(parsing: .unconditional, help: "Slope of the MLPs' LeakyReLU.") var leakySlope: Float?
    @Option(parsing: .unconditional, help: "Learning rate of every optimizer (default: the objective's).") var learningRate: Float?
    @Option(parsing: .unconditional, help: "Learning rate of the generators (overrides --learning-rate).") var generatorLearningRate: Float?
    @Option(parsing: .unconditional, help: "Learning rate of the discriminators (overrides --learning-rate).") var discriminatorLearningRate: Float?
    @Option(help: "adam, rmsprop or sgd (default: the objective's; Adam β1 0.5 for GANs).") var optimizer: OptimizerName?
    @Option(parsing: .unconditional, help: "Adam's β1.") var adamBeta1: Float?
    @Option(parsing: .unconditional, help: "Adam's β2.") var adamBeta2: Float?
    @Option(parsing: .unconditional, help: "Discriminator steps per generator step (default 5 for wgan/wgan-gp, else 1).") var discriminatorSteps: Int?
    @Option(parsing: .unconditional, help: "Gradient penalty weight λ (wgan-gp, dragan).") var penaltyWeight: Float?
    @Option(parsing: .unconditional, help: "WGAN's clipping bound.") var clipValue: Float?
    @Option(parsing: .unconditional, help: "DRAGAN's perturbation scale c.") var draganScale: Float?
    @Option(parsing: .unconditional, help: "Random seed.") var seed: UInt64?
    @Option(parsing: .unconditional, help: "Threads (results depend on the seed and this count).") var threads: Int?
    @Option(help: "Refuse a run estimated to need more memory than this: 24G, 512M or bytes (default: the machine's memory).")
    var memoryLimit: String?
    @Option(help: ArgumentHelp("Run directory (default runs/<timestamp>).", valueName: "RUN_DIR")) var out: String?
    @Option(parsing: .unconditional, help: "Write a checkpoint every K iterations (and at the end).") var checkpointEvery: Int?
    @Option(parsing: .unconditional, help: "Keep the last K checkpoints (default 1); resume continues from the newest.") var keepCheckpoints: Int?
    @Option(parsing: .unconditional, help: "Log metrics.jsonl and TensorBoard scalars every K iterations.") var logEvery: Int?
    @Option(parsing: .unconditional, help: "Evaluate metrics every K iterations (0: never; toy data default: 10 times a run).") var evalEvery: Int?
    @Option(parsing: .unconditional, help: "Samples per evaluation during training.") var evalSamples: Int?
    @Option(help: "Keep the best-scoring checkpoint in RUN/best by this metric: mmd2_sigma_0.1 or modes_covered_strict (toy), fid_classifier or inception_score (MNIST-format), fid_inception or inception_score_inception (with --inception-weights), js_4 (text); default the first that applies.")
    var bestMetric: BestMetricName?
    @Option(help: ArgumentHelp("Images: score FID and IS on the FID Inception network with these weights (scripts/convert-inception-weights; default $GANKIT_INCEPTION_WEIGHTS for cifar10 and folder).",
                               valueName: "FILE"))
    var inceptionWeights: String?
    @Option(help: "Evaluate the product generator only (product) or every generator and the local pairs' ensemble (all).")
    var evalGenerators: EvalGeneratorsName?
    @Option(parsing: .unconditional, help: "Save a sample snapshot every K iterations (0: only at the end).") var sampleEvery: Int?
    @Option(help: ArgumentHelp("Start from these weights (safetensors, e.g. from PyTorch): names prefixed generator., discriminator., G0., D0., Gk., Dk.",
                               valueName: "FILE"))
    var initFrom: String?

    @Flag(help: "Under mpirun -np K: train one pair with each batch split over the K ranks (gradients summed in rank order; BatchNorm as PyTorch's DDP: each rank's own rows, rank 0's running statistics).")
    var dataParallel = false
    @OptionGroup var logging: LoggingOptions

    /// The options given on the command line.
    var flags: TrainOptions {
        var o = TrainOptions()
        o.dataset = dataset; o.dataDir = dataDir; o.mnistLimit = mnistLimit; o.objective = objective; o.weighting = weighting
        o.beta = beta; o.weightingForm = weightingForm; o.topology = topology; o.pairs = pairs; o.messengers = messengers
        o.iterations = iterations; o.batchSize = batchSize; o.latentDim = latentDim; o.architecture = architecture; o.width = width
        o.depth = depth; o.leakySlope = leakySlope; o.learningRate = learningRate; o.discriminatorSteps = discriminatorSteps
        o.penaltyWeight = penaltyWeight; o.clipValue = clipValue; o.seed = seed; o.threads = threads; o.out = out
        o.checkpointEvery = checkpointEvery; o.logEvery = logEvery; o.evalEvery = evalEvery; o.evalSamples = evalSamples
        o.sampleEvery = sampleEvery; o.messengerOptimizer = messengerOptimizer; o.globalUpdates = globalUpdates
        o.weightedGenerators = weightedGenerators; o.criticOffset = criticOffset; o.generatorLearningRate = generatorLearningRate
        o.discriminatorLearningRate = discriminatorLearningRate; o.optimizer = optimizer; o.adamBeta1 = adamBeta1; o.adamBeta2 = adamBeta2
        o.draganScale = draganScale; o.evalGenerators = evalGenerators; o.initFrom = initFrom
        o.sequenceLength = sequenceLength; o.vocabulary = vocabulary; o.keepCheckpoints = keepCheckpoints
        o.imageSize = imageSize; o.channels = channels; o.skipBadImages = skipBadImages ? true : nil; o.noise = noise; o.weightInit = weightInit
        o.sharedGeneratorLayers = sharedGeneratorLayers; o.sharedDiscriminatorLayers = sharedDiscriminatorLayers; o.memoryLimit = memoryLimit
        o.bestMetric = bestMetric; o.dataParallel = dataParallel ? true : nil
        o.inceptionWeights = inceptionWeights.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        return o
    }

    func run() throws {
        let logger = logging.makeLogger("gankit.train")
        var options: TrainOptions
        if let resume {
            if config != nil { throw CLIError.badInput("--config and --resume cannot be combined: a resumed run keeps its own config.json") }
            if initFrom != nil { throw CLIError.badInput("--init-from does not apply to a resumed run: it continues from its checkpoint") }
            if let out, URL(fileURLWithPath: out).standardizedFileURL != URL(fileURLWithPath: resume).standardizedFileURL {
                throw CLIError.badInput("invalid --out: a resumed run stays in its directory \(resume)")
            }
            let configURL = URL(fileURLWithPath: resume).appendingPathComponent("config.json")
            guard FileManager.default.fileExists(atPath: configURL.path) else {
                throw CLIError.badInput("invalid --resume: \(resume) is not a run directory (no config.json)")
            }
            options = try ConfigFile.load(configURL.path).overridden(by: flags)
            options.out = resume
        } else if let config {
            options = try ConfigFile.load(config).overridden(by: flags)
        } else {
            options = flags
        }
        let plan = try options.plan()
        try TrainingRun(plan: plan, resuming: resume != nil, logger: logger, console: Console.current).run()
    }
}
