import Foundation
import GANKitData
import GANKitMetrics
import GANKitNN
import GANKitSafetensors
import GANKitTensor
import GANKitTraining

/// Classifier-based image scores of a generator (SGAN Fig. 5, WeGAN's MNIST IS/FID).
public struct ImageEvaluation: Codable, Sendable, Equatable {
    public var samples: Int
    /// exp(E KL(p(y|x) ‖ p(y))) of the classifier's softmax on generated images.
    public var inceptionScore: Double
    /// Fréchet distance between real and generated penultimate features of the classifier.
    public var fidClassifier: Double
    /// Entropy (nats) of the generated class distribution (argmax), at most log K.
    public var classEntropy: Double
    /// Total variation between the generated class distribution and the uniform one.
    public var totalVariation: Double
    /// The classifier's test accuracy, when known (it must be high for the scores to mean much).
    public var classifierAccuracy: Double?

    public static func evaluate(generator: Module, noise latent: LatentNoise, classifier: ImageClassifier, real: Tensor,
                                samples: Int = 2500, seed: UInt64 = 0, classifierAccuracy: Double? = nil) throws -> ImageEvaluation {
        var noise = RandomStream(seed: seed).derived("evaluation.noise")
        generator.setTraining(false)
        defer { generator.setTraining(true) }
        var parts: [Tensor] = []
        var made = 0
        while made < samples {
            let n = min(500, samples - made)
            parts.append(generator(latent.sample(n, using: &noise)))
            made += n
        }
        let generated = Tensor.concatenate(parts)
        guard Array(generated.shape.dropFirst()) == classifier.imageShape else {
            throw EvaluationError.shapeMismatch("generated images have shape \(Array(generated.shape.dropFirst())), the classifier expects \(classifier.imageShape)")
        }
        let fake = classifier.classify(generated)
        let realSubset = real.shape[0] > samples ? real.slice(axis: 0, 0..<samples) : real
        let realFeatures = classifier.classify(realSubset).features
        let scores = try ClassDistributionScores(probabilities: fake.probabilities)
        return ImageEvaluation(
            samples: samples,
            inceptionScore: try InceptionScore.compute(probabilities: fake.probabilities).mean,
            fidClassifier: try FrechetDistance.compute(realFeatures, fake.features),
            classEntropy: scores.entropy, totalVariation: scores.totalVariationToUniform, classifierAccuracy: classifierAccuracy)
    }
}

/// Trained classifiers, kept as safetensors so that each is trained once per data set.
public enum ClassifierCache {
    /// `$GANKIT_CACHE_DIR`, or `~/.cache/gankit`.
    public static var directory: URL {
        if let env = ProcessInfo.processInfo.environment["GANKIT_CACHE_DIR"], !env.isEmpty { return URL(fileURLWithPath: env) }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/gankit")
    }

    /// The classifier for the MNIST-format data in `dataDirectory`, trained now if not cached.
    /// The cache key is the SHA-256 of the training images file (so a different data set never
    /// reuses another's classifier), the epochs, and `limit`: with a limit the classifier learns
    /// from the first `limit` training images only and is tested on as many test images (tests and
    /// quick looks; its scores are rougher).
    public static func classifier(forIDXDirectory dataDirectory: URL, epochs: Int = 6, limit: Int? = nil, in cache: URL? = nil,
                                  log: (String) -> Void = { _ in }) throws -> (classifier: ImageClassifier, accuracy: Double) {
        let imagesFile = ["train-images-idx3-ubyte.gz", "train-images-idx3-ubyte"].map { dataDirectory.appendingPathComponent($0) }
            .first { FileManager.default.fileExists(atPath: $0.path) }
        guard let imagesFile else {
            throw DataError.unreadable(path: dataDirectory.appendingPathComponent("train-images-idx3-ubyte[.gz]").path, reason: "no such file")
        }
        let key = try String(SHA256.hex(ofFileAt: imagesFile).prefix(16)) + "-epochs\(epochs)" + (limit.map { "-limit\($0)" } ?? "")
        let folder = cache ?? directory
        let url = folder.appendingPathComponent("classifier-\(key).safetensors")
        if let cached = try? ImageClassifier.load(from: url), let accuracy = Double(try SafetensorsFile.read(from: url).metadata["test_accuracy"] ?? "") {
            return (cached, accuracy)
        }
        var train = try ImageDataset.mnistLike(directory: dataDirectory, split: .train)
        var test = try ImageDataset.mnistLike(directory: dataDirectory, split: .test)
        if let limit {
            train = try train.prefix(limit)
            test = try test.prefix(limit)
        }
        let classifier = ImageClassifier(imageShape: train.imageShape)
        var accuracy = 0.0
        try classifier.train(on: train, epochs: epochs, test: test) { epoch, acc in
            accuracy = acc ?? 0
            log("classifier epoch \(epoch)/\(epochs) on \(train.count) images: test accuracy \(String(format: "%.2f%%", 100 * accuracy))")
        }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try classifier.save(to: url, metadata: ["test_accuracy": "\(accuracy)", "data": dataDirectory.path, "limit": limit.map(String.init) ?? "none"])
        return (classifier, accuracy)
    }
}

extension ImageDataset {
    /// The first `count` images (and labels).
    public func prefix(_ count: Int) throws -> ImageDataset {
        let n = Swift.min(count, self.count)
        return try ImageDataset(images: images.slice(axis: 0, 0..<n), labels: labels.map { Array($0.prefix(n)) })
    }
}
