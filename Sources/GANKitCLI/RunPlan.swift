import Foundation
import GANKitData
import GANKitTraining

/// A training run fully resolved and validated: what `gankit train` does, decided before any
/// work starts.
public struct RunPlan: Sendable {
    /// Every option with its value (written as the run's config.json).
    public var options: TrainOptions
    public var dataset: DatasetConfiguration
    public var training: TrainingConfiguration
    public var iterations: Int
    public var checkpointEvery: Int
    /// Checkpoint files kept, newest first.
    public var keepCheckpoints: Int
    public var logEvery: Int
    /// 0: no metrics during training.
    public var evalEvery: Int
    public var evalSamples: Int
    /// Also score every local generator and their ensemble at each evaluation.
    public var evaluatesEveryGenerator: Bool
    /// 0: no sample snapshots during training (the final one is always made).
    public var sampleEvery: Int
    public var out: URL
    /// A text data set's corpus, read once while planning (its vocabulary sizes the networks).
    public var textCorpus: TextCorpus? = nil
}

extension TrainOptions {
    /// The default job (no options at all): SGAN with 5 local pairs on the 8-Gaussian ring, with
    /// settings that show the method within two minutes on two cores (README, "Default job").
    public func withDefaults(now: Date = Date()) -> TrainOptions {
        var o = self
        let dataset = o.dataset ?? .ring8
        o.dataset = dataset
        if dataset.isText {
            // WGAN-GP's language model: WGAN-GP, 10 critic steps, z of 128, residual 1-D CNNs
            // (128 channels rather than the original 512, for CPUs), sentences of 32 characters.
            o.objective = o.objective ?? .wganGP
            o.topology = o.topology ?? .single
            o.iterations = o.iterations ?? 2000
            o.batchSize = o.batchSize ?? 64
            o.latentDim = o.latentDim ?? 128
            o.width = o.width ?? 128
            o.depth = o.depth ?? 5
            o.architecture = o.architecture ?? .charResNet
            if o.objective == .wganGP { o.discriminatorSteps = o.discriminatorSteps ?? 10 }
            o.sequenceLength = o.sequenceLength ?? 32
            o.vocabulary = o.vocabulary ?? 2048
        } else if dataset.isToy {
            // The default job: 5-S-WGAN-GP (SGAN's Fig. 3 variant). A two-minute run needs Adam's
            // step larger than WGAN-GP's usual 1e-4 (README, "The default job").
            if o.objective == nil { o.learningRate = o.learningRate ?? 1e-3 }
            o.objective = o.objective ?? .wganGP
            o.topology = o.topology ?? .sgan
            o.iterations = o.iterations ?? 3000
            o.batchSize = o.batchSize ?? 64
            o.latentDim = o.latentDim ?? 16
            o.width = o.width ?? 128
            o.depth = o.depth ?? 3
        } else {
            // MNIST-format data: WeGAN's MLPs. CIFAR-10 and folders: DCGAN with its paper's z of
            // 100 and 64 channels (ngf = ndf = 64), Adam 2e-4 with β1 0.5 (the objective's default).
            o.objective = o.objective ?? .nonSaturating
            o.topology = o.topology ?? .single
            o.iterations = o.iterations ?? 2000
            o.batchSize = o.batchSize ?? 64
            o.architecture = o.architecture ?? (dataset.isIDX ? .mlp : .dcgan)
            let convolutional = o.architecture!.isConvolutional
            o.latentDim = o.latentDim ?? (convolutional ? 100 : 64)
            o.width = o.width ?? (convolutional ? 64 : 256)
            if o.architecture == .mlp { o.depth = o.depth ?? 2 }
            o.imageSize = o.imageSize ?? dataset.imageSizes.first
        }
        o.architecture = o.architecture ?? .mlp
        if o.architecture == .mlp { o.leakySlope = o.leakySlope ?? 0.01 }
        o.noise = o.noise ?? .normal
        o.weightInit = o.weightInit ?? (o.architecture!.isConvolutional ? .dcgan : .pytorch)
        o.weighting = o.weighting ?? .uniform
        if o.weighting == .wegan {
            o.beta = o.beta ?? 0.5
            o.weightingForm = o.weightingForm ?? .threshold
            o.criticOffset = o.criticOffset ?? 0
        }
        if o.topology != .single { o.pairs = o.pairs ?? 5 }
        if o.topology == .sgan {
            o.messengers = o.messengers ?? true
            if o.messengers! { o.messengerOptimizer = o.messengerOptimizer ?? .copy }
            o.globalUpdates = o.globalUpdates ?? .perIteration
            if o.weighting != .uniform { o.weightedGenerators = o.weightedGenerators ?? .both }
        }
        let kind = o.objective!
        o.optimizer = o.optimizer ?? OptimizerName(kind.defaultOptimizer)
        o.learningRate = o.learningRate ?? kind.defaultOptimizer.learningRate
        o.generatorLearningRate = o.generatorLearningRate ?? o.learningRate
        o.discriminatorLearningRate = o.discriminatorLearningRate ?? o.learningRate
        if o.optimizer == .adam {
            let base = OptimizerName(kind.defaultOptimizer) == .adam ? kind.defaultOptimizer : .adam(learningRate: 1)
            if case let .adam(_, b1, b2, _, _) = base {
                o.adamBeta1 = o.adamBeta1 ?? b1
                o.adamBeta2 = o.adamBeta2 ?? b2
            }
        }
        // The objective's own defaults (one place: `Objective.init`).
        let objectiveDefaults = Objective(kind)
        if kind == .dragan { o.draganScale = o.draganScale ?? objectiveDefaults.draganScale }
        o.discriminatorSteps = o.discriminatorSteps ?? kind.defaultDiscriminatorSteps
        if o.topology == .sgan, o.messengers == true { o.messengerSteps = o.messengerSteps ?? o.discriminatorSteps }
        if kind.usesGradientPenalty { o.penaltyWeight = o.penaltyWeight ?? objectiveDefaults.penaltyWeight }
        if kind == .wgan { o.clipValue = o.clipValue ?? objectiveDefaults.clipValue }
        o.seed = o.seed ?? 0
        o.threads = o.threads ?? max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8))
        let iterations = max(o.iterations!, 1)
        o.checkpointEvery = o.checkpointEvery ?? max(iterations / 5, 1)
        o.keepCheckpoints = o.keepCheckpoints ?? 1
        o.logEvery = o.logEvery ?? max(iterations / 200, 1)
        o.evalEvery = o.evalEvery ?? (dataset.isImage ? 0 : max(iterations / 10, 1))
        o.evalSamples = o.evalSamples ?? (dataset.isToy ? 1000 : 500)
        o.evalGenerators = o.evalGenerators ?? .product
        if dataset == .cifar10 || dataset == .folder, o.inceptionWeights == nil,
           let weights = ProcessInfo.processInfo.environment["GANKIT_INCEPTION_WEIGHTS"], !weights.isEmpty {
            o.inceptionWeights = URL(fileURLWithPath: weights).standardizedFileURL.path
        }
        if o.evalEvery! > 0 { o.bestMetric = o.bestMetric ?? BestMetricName.defaultFor(dataset) }
        o.sampleEvery = o.sampleEvery ?? max(iterations / 5, 1)
        if (dataset.isImage && dataset != .folder) || dataset == .fortunes || (dataset == .text || dataset == .folder) && o.dataDir != nil {
            // Absolute, so the run's config.json resumes from any working directory.
            o.dataDir = URL(fileURLWithPath: o.dataDir ?? Self.defaultDataDirectory(for: dataset)).standardizedFileURL.path
        }
        if o.out == nil {
            let f = DateFormatter()
            f.locale = Locale(identifier: "en_US_POSIX")
            f.dateFormat = "yyyyMMdd-HHmmss"
            o.out = "runs/\(f.string(from: now))"
        }
        return o
    }

    /// `$GANKIT_DATASETS_DIR/<name>`, else `../shared/datasets/<name>` (the layout beside a clone).
    static func defaultDataDirectory(for dataset: DatasetName) -> String {
        // Debian's `fortunes` package (scripts/setup installs it).
        if dataset == .fortunes { return "/usr/share/games/fortunes" }
        if let root = ProcessInfo.processInfo.environment["GANKIT_DATASETS_DIR"], !root.isEmpty {
            return URL(fileURLWithPath: root).appendingPathComponent(dataset.rawValue).path
        }
        return "../shared/datasets/\(dataset.rawValue)"
    }

    /// Beyond this, a thread count is a typo: GANKit's kernels split work into at most this many parts.
    static let maximumThreads = 256

    /// Refuses a run whose lower-bound estimate exceeds `--memory-limit` (default: physical
    /// memory), naming the option that drives the estimate: the first of batch size, latent
    /// dimension, pairs and width that alone, at its minimum, would make the run fit.
    static func checkMemory(_ training: TrainingConfiguration, limit: String?) throws(CLIError) {
        let estimate = MemoryEstimate(training)
        let bytes: Double
        if let limit {
            guard let parsed = parseByteCount(limit), parsed > 0 else {
                throw .badInput("invalid --memory-limit: '\(limit)' is not a size (use bytes, or a number with K, M, G or T, e.g. 16G)")
            }
            bytes = parsed
        } else {
            bytes = Double(ProcessInfo.processInfo.physicalMemory)
        }
        guard estimate.totalBytes > bytes else { return }
        var smaller: [(String, TrainingConfiguration)] = []
        var c = training
        c.batchSize = 1
        smaller.append(("batch-size", c))
        c = training
        c.networks.latentDimension = 1
        smaller.append(("latent-dim", c))
        c = training
        switch c.topology {
        case .sgan(var options): options.pairs = 1; c.topology = .sgan(options)
        case .ensemble: c.topology = .ensemble(pairs: 1)
        case .single, .repeatedPair: break
        }
        smaller.append(("pairs", c))
        let option = smaller.first { MemoryEstimate($0.1).totalBytes <= bytes }?.0
            ?? (estimate.activationBytes > estimate.parameterBytes ? "batch-size" : "width")
        func gb(_ b: Double) -> String { b >= 1e9 ? String(format: "%.1f GB", b / 1e9) : String(format: "%.0f MB", b / 1e6) }
        throw .badInput("invalid --\(option): the run needs at least \(gb(estimate.totalBytes)) (\(gb(estimate.parameterBytes)) for the weights, "
                        + "gradients and optimizer state of \(estimate.networks) networks, \(gb(estimate.activationBytes)) for one batch's layer outputs), "
                        + "more than \(limit == nil ? "this machine's memory" : "--memory-limit"), \(gb(bytes))")
    }

    /// `16G`, `512M`, `1.5T`, `2048K` or plain bytes (powers of 1024).
    static func parseByteCount(_ text: String) -> Double? {
        let units: [Character: Double] = ["K": 1024, "M": 1024 * 1024, "G": 1024 * 1024 * 1024, "T": 1024 * 1024 * 1024 * 1024]
        var number = text.trimmingCharacters(in: .whitespaces).uppercased()
        if number.hasSuffix("B") { number.removeLast() }
        var scale = 1.0
        if let last = number.last, let unit = units[last] { scale = unit; number.removeLast() }
        guard let value = Double(number), value.isFinite, value >= 0 else { return nil }
        return value * scale
    }

    /// Checks and types the (defaulted) options. Every error names the option at fault.
    public func plan() throws(CLIError) -> RunPlan {
        let o = withDefaults()
        func bad(_ option: String, _ message: String) -> CLIError { .badInput("invalid --\(option): \(message)") }
        func positive(_ value: Int?, _ option: String) throws(CLIError) -> Int {
            guard let value, value >= 1 else { throw bad(option, "must be at least 1 (got \(value.map(String.init) ?? "nothing"))") }
            return value
        }
        func nonNegative(_ value: Int?, _ option: String) throws(CLIError) -> Int {
            guard let value, value >= 0 else { throw bad(option, "must be 0 or more (got \(value.map(String.init) ?? "nothing"))") }
            return value
        }
        let datasetName = o.dataset!
        // NaN and infinities first: every later check (and config.json, which JSON cannot hold
        // them in) assumes finite numbers.
        let floats: [(Float?, String)] = [
            (o.beta, "beta"), (o.criticOffset, "critic-offset"), (o.leakySlope, "leaky-slope"), (o.learningRate, "learning-rate"),
            (o.generatorLearningRate, "generator-learning-rate"), (o.discriminatorLearningRate, "discriminator-learning-rate"),
            (o.adamBeta1, "adam-beta1"), (o.adamBeta2, "adam-beta2"), (o.penaltyWeight, "penalty-weight"), (o.clipValue, "clip-value"),
            (o.draganScale, "dragan-scale"),
        ]
        for case let (value?, option) in floats where !value.isFinite { throw bad(option, "must be a finite number (got \(value))") }
        if o.weighting != .wegan, beta != nil { throw bad("beta", "applies only with --weighting wegan (weighting is \(o.weighting!.rawValue))") }
        if o.topology != .sgan {
            for (value, option) in [(messengers as Any?, "messengers"), (messengerOptimizer, "messenger-optimizer"), (messengerSteps, "messenger-steps"),
                                    (messengerStepsFrom, "messenger-steps-from"), (messengerStepsBefore, "messenger-steps-before"),
                                    (globalUpdates, "global-updates"),
                                    (weightedGenerators, "weighted-generators"), (sharedGeneratorLayers, "shared-generator-layers"),
                                    (sharedDiscriminatorLayers, "shared-discriminator-layers")] where value != nil {
                throw bad(option, "applies only with --topology sgan (topology is \(o.topology!.rawValue))")
            }
        }
        if o.dataParallel == true, o.topology == .sgan || o.topology == .ensemble {
            throw bad("data-parallel", "trains one pair (--topology single or repeated); under mpirun, --topology \(o.topology!.rawValue) spreads its pairs over the ranks without it")
        }
        if o.topology == .sgan, o.messengers == false, messengerOptimizer != nil {
            throw bad("messenger-optimizer", "applies only with messengers (--messengers false is simplified SGAN, without them)")
        }
        if o.topology == .sgan, o.messengers == false, messengerSteps != nil {
            throw bad("messenger-steps", "applies only with messengers (--messengers false is simplified SGAN, without them)")
        }
        if let k = o.messengerSteps, k < 1 { throw bad("messenger-steps", "must be at least 1 (got \(k))") }
        if o.topology == .sgan, messengerStepsFrom != nil {
            if o.messengers == false { throw bad("messenger-steps-from", "applies only with messengers (--messengers false is simplified SGAN, without them)") }
            if messengerSteps == nil, messengerStepsBefore == nil {
                throw bad("messenger-steps-from", "switches the messengers between --messenger-steps-before and --messenger-steps, neither of which is given")
            }
            if (messengerStepsBefore ?? o.discriminatorSteps) == o.messengerSteps {
                throw bad("messenger-steps-from", "switches between --messenger-steps-before and --messenger-steps (each the discriminator steps unless given), which are both \(o.messengerSteps!)")
            }
        }
        if o.topology == .sgan, let k = messengerStepsBefore {
            if messengerStepsFrom == nil { throw bad("messenger-steps-before", "applies only with --messenger-steps-from, the iteration it runs up to") }
            if k < 1 { throw bad("messenger-steps-before", "must be at least 1 (got \(k))") }
        }
        if o.weighting != .wegan, weightingForm != nil { throw bad("weighting-form", "applies only with --weighting wegan (weighting is \(o.weighting!.rawValue))") }
        if o.objective != .wgan, clipValue != nil { throw bad("clip-value", "applies only with --objective wgan (objective is \(o.objective!.rawValue))") }
        if !o.objective!.usesGradientPenalty, penaltyWeight != nil {
            throw bad("penalty-weight", "applies only to objectives with a gradient penalty, wgan-gp and dragan (objective is \(o.objective!.rawValue))")
        }
        if let t = o.threads, !(1...Self.maximumThreads).contains(t) { throw bad("threads", "must be 1 to \(Self.maximumThreads) (got \(t))") }
        if let weights = inceptionWeights {
            guard datasetName.isImage else { throw bad("inception-weights", "applies only to image data sets (dataset is \(datasetName.rawValue))") }
            guard FileManager.default.fileExists(atPath: weights) else {
                throw bad("inception-weights", "no such file: \(weights) (convert the official FID weights with scripts/convert-inception-weights)")
            }
        }
        if datasetName == .cifar10 || datasetName == .folder, o.evalEvery! > 0, inceptionWeights == nil {
            throw bad("eval-every", "\(datasetName.rawValue) is scored by FID and IS on the Inception network, which needs --inception-weights FILE (or $GANKIT_INCEPTION_WEIGHTS)")
        }
        if let metric = o.bestMetric {
            guard o.evalEvery! > 0 else { throw bad("best-metric", "applies only when the run is evaluated (--eval-every K > 0)") }
            let applicable: [BestMetricName] = datasetName.isToy ? [.mmd2Narrow, .modesCoveredStrict]
                : datasetName.isIDX ? [.fidClassifier, .inceptionScore] + (o.inceptionWeights != nil ? [.fidInception, .inceptionScoreInception] : [])
                : datasetName.isText ? [.js4] : [.fidInception, .inceptionScoreInception]
            guard applicable.contains(metric) else {
                throw bad("best-metric", "\(metric.rawValue) is not computed for \(datasetName.rawValue) runs (use \(applicable.map(\.rawValue).joined(separator: " or ")))")
            }
        }
        if o.weighting == .uniform, weightedGenerators != nil { throw bad("weighted-generators", "applies only with --weighting wegan or iwgan") }
        if o.weighting != .wegan, criticOffset != nil { throw bad("critic-offset", "applies only with --weighting wegan") }
        if o.objective != .dragan, draganScale != nil { throw bad("dragan-scale", "applies only with --objective dragan") }
        if o.optimizer != .adam, adamBeta1 != nil || adamBeta2 != nil { throw bad(adamBeta1 != nil ? "adam-beta1" : "adam-beta2", "applies only with --optimizer adam") }
        // The values given (the per-player rates default to --learning-rate): an error names the option the user wrote.
        for (value, option) in [(learningRate, "learning-rate"), (generatorLearningRate, "generator-learning-rate"),
                                (discriminatorLearningRate, "discriminator-learning-rate")] {
            if let value, !(value > 0 && value.isFinite) { throw bad(option, "must be a positive number (got \(value))") }
        }
        for (value, option) in [(o.adamBeta1, "adam-beta1"), (o.adamBeta2, "adam-beta2")] {
            if let value, !(value >= 0 && value < 1) { throw bad(option, "must be in [0, 1) (got \(value))") }
        }
        if o.topology == .single, let pairs, pairs != 1 { throw bad("pairs", "--topology single has one pair (got \(pairs)); use --topology sgan") }
        if datasetName.isToy, mnistLimit != nil { throw bad("mnist-limit", "applies only to image data sets (dataset is \(datasetName.rawValue))") }
        if datasetName.isToy, dataDir != nil { throw bad("data-dir", "toy data sets are generated, not read (dataset is \(datasetName.rawValue))") }
        if datasetName.isToy, o.architecture!.isConvolutional { throw bad("architecture", "\(o.architecture!.rawValue) needs images; toy data is 2-D (use mlp)") }
        if datasetName.isText, mnistLimit != nil { throw bad("mnist-limit", "applies only to image data sets (dataset is \(datasetName.rawValue))") }
        if datasetName.isText, o.architecture != .charResNet {
            throw bad("architecture", "text needs char-resnet (got \(o.architecture!.rawValue))")
        }
        if !datasetName.isText, o.architecture == .charResNet { throw bad("architecture", "char-resnet needs text (dataset is \(datasetName.rawValue))") }
        if !datasetName.isText {
            if sequenceLength != nil { throw bad("sequence-length", "applies only to text data sets (dataset is \(datasetName.rawValue))") }
            if vocabulary != nil { throw bad("vocabulary", "applies only to text data sets (dataset is \(datasetName.rawValue))") }
        }
        if o.architecture == .charResNet, leakySlope != nil { throw bad("leaky-slope", "does not apply to char-resnet (its blocks use ReLU)") }
        if let name = o.architecture, name.isConvolutional {
            if depth != nil { throw bad("depth", "does not apply to \(name.rawValue) (its number of layers follows the image size)") }
            if leakySlope != nil { throw bad("leaky-slope", "does not apply to \(name.rawValue) (its discriminator uses DCGAN's LeakyReLU 0.2)") }
        }
        if o.architecture == .sganCNN, let size = o.imageSize, size != 28 {
            throw bad("architecture", "sgan-cnn is SGAN's MNIST net, for 28×28 images (image size is \(size)); use dcgan")
        }
        if !datasetName.isImage, imageSize != nil { throw bad("image-size", "applies only to image data sets (dataset is \(datasetName.rawValue))") }
        if let size = o.imageSize, datasetName.isImage, !datasetName.imageSizes.contains(size) {
            throw bad("image-size", datasetName == .folder ? "must be 28, 32 or 64 (got \(size))"
                      : "\(datasetName.rawValue) images are \(datasetName.imageSizes[0])×\(datasetName.imageSizes[0]) (got \(size))")
        }
        if datasetName != .folder {
            if channels != nil { throw bad("channels", "applies only to --dataset folder (dataset is \(datasetName.rawValue))") }
            if skipBadImages != nil { throw bad("skip-bad-images", "applies only to --dataset folder (dataset is \(datasetName.rawValue))") }
        }
        if let c = channels, c != 1 && c != 3 { throw bad("channels", "must be 1 (grey) or 3 (RGB) (got \(c))") }
        if o.evalGenerators == .all, o.topology == .single {
            throw bad("eval-generators", "all needs several generators; --topology single has one")
        }
        if let k = o.evalMessengerSteps {
            guard o.topology == .sgan, o.messengers == true, o.evalGenerators == .all, datasetName.isToy else {
                throw bad("eval-messenger-steps", "applies only to SGAN with messengers on toy data with --eval-generators all")
            }
            if k < 1 { throw bad("eval-messenger-steps", "must be at least 1 (got \(k))") }
        }
        if let limit = o.mnistLimit, limit < 1 { throw bad("mnist-limit", "must be at least 1 (got \(limit))") }

        let dataset: DatasetConfiguration
        let sampleShape: [Int]
        var textCorpus: TextCorpus?
        if datasetName.isToy {
            guard let toy = try? ToyDataset(preset: datasetName.rawValue) else { throw bad("dataset", "unknown toy data set \(datasetName.rawValue)") }
            dataset = .toy(toy)
            sampleShape = [2]
        } else if datasetName.isText {
            guard let path = o.dataDir else { throw bad("data-dir", "--dataset text needs --data-dir: a file or directory of UTF-8 text, one sentence a line") }
            let length = try positive(o.sequenceLength, "sequence-length")
            guard let limit = o.vocabulary, limit >= 3 else { throw bad("vocabulary", "must be at least 3: padding, unknown and one character (got \(o.vocabulary ?? 0))") }
            dataset = .text(path: path, layout: datasetName == .fortunes ? .fortune : .lines, sequenceLength: length, vocabularyLimit: limit)
            let corpus: TextCorpus
            do { corpus = try dataset.textCorpus() } catch { throw bad("data-dir", "\(error)") }
            let batch = try positive(o.batchSize, "batch-size")
            guard corpus.trainingCount >= batch else {
                throw bad("data-dir", "\(path) holds \(corpus.trainingCount) training sentences, fewer than one batch of \(batch)")
            }
            guard corpus.heldOutCount >= 1 else { throw bad("data-dir", "\(path) holds no held-out sentence (every 10th is held out); it needs at least 10") }
            sampleShape = [corpus.vocabulary.count, length]
            textCorpus = corpus
        } else if datasetName == .cifar10 {
            let location = o.dataDir!
            guard FileManager.default.fileExists(atPath: location) else {
                throw bad("data-dir", "no such file or directory: \(location) (CIFAR-10's binary batches, or \(CIFAR10Reader.archiveName); `gankit data prepare cifar10` fetches it)")
            }
            dataset = .cifar10(directory: URL(fileURLWithPath: location).standardizedFileURL.path, limit: o.mnistLimit)
            sampleShape = [3, 32, 32]
        } else if datasetName == .folder {
            guard let directory = o.dataDir else { throw bad("data-dir", "--dataset folder needs --data-dir: a folder of PNG or JPEG images") }
            let size = o.imageSize!
            let reader: ImageFolderReader
            let channels: Int
            do {
                reader = try ImageFolderReader(size: size, color: o.channels.map { $0 == 1 ? .grayscale : .rgb })
                channels = try reader.outputChannels(folder: URL(fileURLWithPath: directory), skipBadImages: o.skipBadImages ?? false)
            } catch { throw bad("data-dir", "\(error)") }
            dataset = .imageFolder(directory: URL(fileURLWithPath: directory).standardizedFileURL.path, size: size, channels: o.channels,
                                   skipBadImages: o.skipBadImages ?? false, limit: o.mnistLimit)
            sampleShape = [channels, size, size]
        } else {
            let directory = o.dataDir!
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw bad("data-dir", "no such directory: \(directory)")
            }
            dataset = .idx(directory: URL(fileURLWithPath: directory).standardizedFileURL.path, limit: o.mnistLimit)
            sampleShape = [1, 28, 28]
        }

        let kind = o.objective!
        var objective = Objective(kind)
        if let w = o.penaltyWeight { objective.penaltyWeight = w }
        if let c = o.clipValue { objective.clipValue = c }
        if let c = o.draganScale { objective.draganScale = c }
        let weighting: GeneratorWeighting = switch o.weighting! {
        case .uniform: .uniform
        case .wegan: .wegan(WeGANWeighting(beta: o.beta!, form: o.weightingForm ?? .threshold, criticOffset: o.criticOffset ?? 0))
        case .iwgan: .iwgan
        }
        let topology: Topology = switch o.topology! {
        case .single: .single
        case .sgan: .sgan(SGANOptions(pairs: o.pairs!, messengers: o.messengers ?? true,
                                      messengerCopiesOptimizerState: o.messengerOptimizer != .fresh,
                                      // nil is Algorithm 1's I_D: runs from before the option resume.
                                      messengerSteps: o.messengerSteps == o.discriminatorSteps ? nil : o.messengerSteps,
                                      messengerStepsFrom: o.messengerStepsFrom,
                                      messengerStepsBefore: o.messengerStepsBefore == o.discriminatorSteps ? nil : o.messengerStepsBefore,
                                      globalUpdates: o.globalUpdates == .perLocalUpdate ? .perLocalUpdate : .perIteration,
                                      weightedGenerators: o.weightedGenerators ?? .both,
                                      sharedGeneratorLayers: try nonNegative(o.sharedGeneratorLayers ?? 0, "shared-generator-layers"),
                                      sharedDiscriminatorLayers: try nonNegative(o.sharedDiscriminatorLayers ?? 0, "shared-discriminator-layers")))
        case .ensemble: .ensemble(pairs: o.pairs!)
        case .repeated: .repeatedPair(updates: o.pairs!)
        }
        let architecture: Architecture = switch o.architecture! {
        case .mlp: .mlp(depth: o.depth!, width: o.width!, activation: .leakyReLU(slope: o.leakySlope!))
        case .dcgan: .dcgan(width: o.width!)
        case .sganCNN: .sganMNIST(width: o.width!)
        case .charResNet: .charResNet(width: o.width!, blocks: o.depth!)
        }
        func optimizer(_ learningRate: Float) -> OptimizerConfiguration {
            switch o.optimizer! {
            case .adam: .adam(learningRate: learningRate, beta1: o.adamBeta1!, beta2: o.adamBeta2!)
            case .rmsprop: .rmsprop(learningRate: learningRate)
            case .sgd: .sgd(learningRate: learningRate)
            }
        }
        let training = TrainingConfiguration(
            objective: objective, weighting: weighting, topology: topology,
            networks: NetworkConfiguration(architecture: architecture, latentDimension: o.latentDim!, sampleShape: sampleShape,
                                           initialization: o.weightInit == .dcgan ? .dcgan : .pytorchDefault, noiseDistribution: o.noise!,
                                           spectralNormalization: o.spectralNorm ?? false),
            generatorOptimizer: optimizer(o.generatorLearningRate!), discriminatorOptimizer: optimizer(o.discriminatorLearningRate!), discriminatorSteps: o.discriminatorSteps,
            batchSize: o.batchSize!, seed: o.seed!, threads: o.threads!)
        do { try training.validate(dataShape: sampleShape) } catch { throw .badInput(error.description) }
        try Self.checkMemory(training, limit: o.memoryLimit)

        return RunPlan(
            options: o, dataset: dataset, training: training,
            iterations: try positive(o.iterations, "iterations"),
            checkpointEvery: try positive(o.checkpointEvery, "checkpoint-every"),
            keepCheckpoints: try positive(o.keepCheckpoints, "keep-checkpoints"),
            logEvery: try positive(o.logEvery, "log-every"),
            evalEvery: try nonNegative(o.evalEvery, "eval-every"),
            evalSamples: try positive(o.evalSamples, "eval-samples"),
            evaluatesEveryGenerator: o.evalGenerators == .all,
            sampleEvery: try nonNegative(o.sampleEvery, "sample-every"),
            out: URL(fileURLWithPath: o.out!), textCorpus: textCorpus)
    }
}

extension OptimizerName {
    /// The family of a configured optimizer.
    init(_ configuration: OptimizerConfiguration) {
        switch configuration {
        case .adam: self = .adam
        case .rmsprop: self = .rmsprop
        case .sgd: self = .sgd
        }
    }
}
