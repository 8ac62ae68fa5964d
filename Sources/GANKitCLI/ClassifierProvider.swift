import Foundation
import GANKitData
import GANKitEvaluation
import GANKitSafetensors

/// Where the image scores' classifier comes from. By default the evaluation module's cache
/// (trained once per data set on all of it, ~1 minute); with a `limit`, a smaller one trained on
/// the first `limit` training images and cached under its own name (tests, quick looks: its
/// scores are rougher).
struct ClassifierProvider {
    var epochs: Int
    var limit: Int?
    /// nil: `ClassifierCache.directory`.
    var cacheDirectory: URL? = nil

    func classifier(for directory: URL, log: (String) -> Void) throws -> (classifier: ImageClassifier, accuracy: Double) {
        guard let limit else { return try ClassifierCache.classifier(forIDXDirectory: directory, epochs: epochs, log: log) }
        let images = ["train-images-idx3-ubyte.gz", "train-images-idx3-ubyte"].map { directory.appendingPathComponent($0) }
            .first { FileManager.default.fileExists(atPath: $0.path) }
        guard let images else { throw CLIError.badInput("no train-images-idx3-ubyte[.gz] in \(directory.path)") }
        let key = try String(SHA256.hex(ofFileAt: images).prefix(16))
        let cache = cacheDirectory ?? ClassifierCache.directory
        let url = cache.appendingPathComponent("classifier-\(key)-limit\(limit)-epochs\(epochs).safetensors")
        if let cached = try? ImageClassifier.load(from: url),
           let accuracy = Double(try SafetensorsFile.read(from: url).metadata["test_accuracy"] ?? "") {
            return (cached, accuracy)
        }
        let train = try ImageDataset.mnistLike(directory: directory, split: .train)
        let test = try ImageDataset.mnistLike(directory: directory, split: .test)
        let n = min(limit, train.count), m = min(limit, test.count)
        let trainSlice = try ImageDataset(images: train.images.slice(axis: 0, 0..<n), labels: train.labels.map { Array($0.prefix(n)) })
        let testSlice = try ImageDataset(images: test.images.slice(axis: 0, 0..<m), labels: test.labels.map { Array($0.prefix(m)) })
        let classifier = ImageClassifier(imageShape: train.imageShape)
        var accuracy = 0.0
        try classifier.train(on: trainSlice, epochs: epochs, test: testSlice) { epoch, acc in
            accuracy = acc ?? 0
            log("classifier epoch \(epoch)/\(epochs) on \(n) images: test accuracy \(String(format: "%.2f%%", 100 * accuracy))")
        }
        try FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
        try classifier.save(to: url, metadata: ["test_accuracy": "\(accuracy)", "data": directory.path, "limit": "\(limit)"])
        return (classifier, accuracy)
    }
}
