import Foundation
import GANKitAutodiff
import GANKitData
import GANKitNN
import GANKitSafetensors
import GANKitTensor

/// A small CNN trained by GANKit on a labelled image data set (MNIST, Fashion-MNIST), whose
/// softmax gives the classifier-based inception score, class entropy and total variation, and
/// whose penultimate features give the Fréchet distance ("FID (classifier)": not comparable to
/// ImageNet-Inception FID).
public final class ImageClassifier: @unchecked Sendable {
    /// Two strided convolutions, a 128-unit hidden layer (the features) and the class logits.
    public let features: Sequential
    public let head: Linear
    public let imageShape: [Int]
    public let classCount: Int

    public init(imageShape: [Int], classCount: Int = 10, seed: UInt64 = 0) {
        var rng = RandomStream(seed: seed).derived("classifier")
        let (c, h) = (imageShape[0], imageShape[1])
        features = Sequential([
            Conv2d(inputChannels: c, outputChannels: 32, kernelSize: 4, stride: 2, padding: 1, using: &rng),
            ActivationLayer(.relu),
            Conv2d(inputChannels: 32, outputChannels: 64, kernelSize: 4, stride: 2, padding: 1, using: &rng),
            ActivationLayer(.relu),
            Reshape.flatten(),
            Linear(inputSize: 64 * (h / 4) * (h / 4), outputSize: 128, using: &rng),
            ActivationLayer(.relu),
        ])
        head = Linear(inputSize: 128, outputSize: classCount, using: &rng)
        self.imageShape = imageShape
        self.classCount = classCount
    }

    private var network: Sequential { Sequential([features, head]) }

    /// Trains with Adam on softmax cross-entropy (learning rate 10⁻³, then 10⁻⁴ for the last third
    /// of the epochs); reports (epoch, test accuracy) after each epoch.
    public func train(on data: ImageDataset, epochs: Int, batchSize: Int = 64, seed: UInt64 = 0,
                      test: ImageDataset? = nil, progress: (Int, Double?) -> Void = { _, _ in }) throws {
        guard let labels = data.labels else { throw EvaluationError.unlabelled }
        let model = network
        var optimizer = Adam(learningRate: 1e-3)
        var sampler = try BatchSampler(count: data.count, batchSize: batchSize, stream: RandomStream(seed: seed).derived("classifier.batches"))
        for epoch in 1...max(epochs, 1) {
            optimizer.learningRate = epoch > (2 * epochs) / 3 ? 1e-4 : 1e-3
            for _ in 0..<sampler.batchesPerEpoch {
                let indices = sampler.nextIndices()
                let x = data.images.gatherRows(indices)
                var onehot = Tensor.zeros([indices.count, classCount])
                onehot.withUnsafeMutableBufferPointer { o in for (r, i) in indices.enumerated() { o[r * classCount + labels[i]] = 1 } }
                let logp = model(Variable(x)).logSoftmax()
                let loss = -(logp * Variable(onehot)).sum() / Float(indices.count)
                optimizer.update(model, gradients: model.gradients(of: loss))
            }
            progress(epoch, try test.map { try accuracy(on: $0) })
        }
    }

    /// Fraction of correctly classified images.
    public func accuracy(on data: ImageDataset) throws -> Double {
        guard let labels = data.labels else { throw EvaluationError.unlabelled }
        let probabilities = classify(data.images).probabilities
        var correct = 0
        probabilities.withUnsafeBufferPointer { p in
            for i in 0..<data.count {
                let row = p[(i * classCount)..<((i + 1) * classCount)]
                if row.indices.max(by: { row[$0] < row[$1] })! - i * classCount == labels[i] { correct += 1 }
            }
        }
        return Double(correct) / Double(data.count)
    }

    /// Class probabilities `[N, K]` and penultimate features `[N, 128]`, in batches.
    public func classify(_ images: Tensor, batchSize: Int = 500) -> (probabilities: Tensor, features: Tensor) {
        var probabilities: [Tensor] = [], feats: [Tensor] = []
        var start = 0
        while start < images.shape[0] {
            let end = min(start + batchSize, images.shape[0])
            let f = features(images.slice(axis: 0, start..<end))
            let logp = Autodiff.withoutRecording { head(Variable(f)).logSoftmax().value }
            probabilities.append(logp.map { Foundation.exp($0) })
            feats.append(f)
            start = end
        }
        return (Tensor.concatenate(probabilities), Tensor.concatenate(feats))
    }

    public func save(to url: URL, metadata: [String: String] = [:]) throws {
        try SafetensorsFile(tensors: network.stateDictionary, metadata: metadata.merging(
            ["image_shape": imageShape.map(String.init).joined(separator: ","), "classes": "\(classCount)"]) { $1 }).write(to: url)
    }

    public static func load(from url: URL) throws -> ImageClassifier {
        let file = try SafetensorsFile.read(from: url)
        guard let shapeText = file.metadata["image_shape"], let classes = Int(file.metadata["classes"] ?? "") else {
            throw EvaluationError.notAClassifier(url.path)
        }
        let shape = shapeText.split(separator: ",").compactMap { Int($0) }
        guard shape.count == 3 else { throw EvaluationError.notAClassifier(url.path) }
        let classifier = ImageClassifier(imageShape: shape, classCount: classes)
        do { try classifier.network.load(stateDictionary: file.tensors) } catch { throw EvaluationError.notAClassifier("\(url.path): \(error)") }
        return classifier
    }
}

public enum EvaluationError: Error, CustomStringConvertible, Equatable {
    case unlabelled
    case notAClassifier(String)
    case shapeMismatch(String)

    public var description: String {
        switch self {
        case .unlabelled: "the classifier needs a labelled data set"
        case .notAClassifier(let p): "\(p) is not a GANKit image classifier"
        case .shapeMismatch(let m): m
        }
    }
}
