import Foundation
import GANKitData
import GANKitEvaluation
import GANKitNN
import GANKitTensor
import Testing

/// The classifier behind the image scores. The full-accuracy runs take a minute or more each, so
/// they run only with GANKIT_SLOW_TESTS=1:
/// `GANKIT_SLOW_TESTS=1 swift test -c release -Xswiftc -enable-testing --filter ImageClassifierTests`.
struct ImageClassifierTests {
    static var datasets: URL {
        if let env = ProcessInfo.processInfo.environment["GANKIT_DATASETS_DIR"], !env.isEmpty { return URL(fileURLWithPath: env) }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared/datasets")
    }

    static let slow = ProcessInfo.processInfo.environment["GANKIT_SLOW_TESTS"] == "1"

    @Test func learnsASliceOfMNISTAndRoundTripsThroughSafetensors() throws {
        let train = try ImageDataset.mnistLike(directory: Self.datasets.appendingPathComponent("mnist"), split: .train)
        let slice = try ImageDataset(images: train.images.slice(axis: 0, 0..<3000), labels: Array(train.labels!.prefix(3000)))
        let heldOut = try ImageDataset(images: train.images.slice(axis: 0, 50000..<51000), labels: Array(train.labels![50000..<51000]))
        let classifier = ImageClassifier(imageShape: [1, 28, 28])
        try classifier.train(on: slice, epochs: 2)
        let accuracy = try classifier.accuracy(on: heldOut)
        #expect(accuracy > 0.85, "accuracy \(accuracy) after 2 epochs on 3,000 images")
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("classifier-\(UUID()).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try classifier.save(to: url)
        let loaded = try ImageClassifier.load(from: url)
        #expect(try loaded.accuracy(on: heldOut) == accuracy)
    }

    @Test(.enabled(if: slow), arguments: [("mnist", 0.99), ("fashion-mnist", 0.90)])
    func reachesTheRequiredTestAccuracy(_ name: String, _ required: Double) throws {
        let start = Date()
        let directory = Self.datasets.appendingPathComponent(name)
        let train = try ImageDataset.mnistLike(directory: directory, split: .train)
        let test = try ImageDataset.mnistLike(directory: directory, split: .test)
        let classifier = ImageClassifier(imageShape: [1, 28, 28])
        var accuracy = 0.0
        try classifier.train(on: train, epochs: 6, test: test) { epoch, acc in
            accuracy = acc ?? 0
            print("\(name) epoch \(epoch): test accuracy \(String(format: "%.2f%%", 100 * accuracy)) after \(Int(Date().timeIntervalSince(start))) s")
        }
        #expect(accuracy >= required)
    }
}
