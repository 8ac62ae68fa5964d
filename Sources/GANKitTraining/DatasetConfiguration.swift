import Foundation
import GANKitData
import GANKitTensor

/// The real data a run trains on, as a configuration names it.
public enum DatasetConfiguration: Codable, Sendable, Equatable {
    /// A 2-D toy distribution sampled afresh for every batch.
    case toy(ToyDataset)
    /// MNIST-format IDX files (MNIST, Fashion-MNIST) in `directory`; `limit` keeps the first images.
    case idx(directory: String, limit: Int?)
    /// CIFAR-10's binary batches (or its .tar.gz) in `directory`.
    case cifar10(directory: String, limit: Int?)
    /// PNG and JPEG files in `directory`, centre-cropped and resized to `size`.
    case imageFolder(directory: String, size: Int, grayscale: Bool, limit: Int?)
    /// UTF-8 text under `path` as sentences of `sequenceLength` characters (`TextCorpus`).
    case text(path: String, layout: TextCorpus.Layout, sequenceLength: Int, vocabularyLimit: Int)

    /// The toy data set, when this is one.
    public var toy: ToyDataset? { if case .toy(let t) = self { t } else { nil } }

    /// Loads or prepares the data; errors name the file and the problem.
    public func makeSource() throws -> any RealDataSource {
        switch self {
        case .toy(let toy):
            let sampler = try toy.makeSampler()
            return SampledDataSource(sampleShape: [2]) { count, rng in sampler.sample(count: count, using: &rng) }
        case let .idx(directory, limit):
            let images = try ImageDataset.mnistLike(directory: URL(fileURLWithPath: directory), split: .train).images
            // An empty set would have the batch sampler wait forever for a first sample.
            guard images.shape[0] > 0 else { throw DataError.badHeader(path: directory, reason: "the training images file holds 0 images") }
            return ShuffledDataSource(samples: Self.limited(images, limit))
        case let .cifar10(directory, limit):
            return try ShuffledDataSource(samples: Self.limited(CIFAR10Reader.read(directory: URL(fileURLWithPath: directory), split: .train).images, limit))
        case let .imageFolder(directory, size, grayscale, limit):
            let reader = try ImageFolderReader(size: size, color: grayscale ? .grayscale : .rgb)
            return try ShuffledDataSource(samples: Self.limited(reader.read(folder: URL(fileURLWithPath: directory)).images, limit))
        case .text:
            return TextDataSource(corpus: try textCorpus())
        }
    }

    /// The corpus of a text data set.
    public func textCorpus() throws -> TextCorpus {
        guard case let .text(path, layout, length, limit) = self else { throw DataError.invalidOption(name: "dataset", value: "\(self)", allowed: "a text data set") }
        return try TextCorpus.read(URL(fileURLWithPath: path), layout: layout, sequenceLength: length, vocabularyLimit: limit)
    }

    private static func limited(_ t: Tensor, _ limit: Int?) -> Tensor {
        guard let limit, limit < t.shape[0] else { return t }
        return t.slice(axis: 0, 0..<max(limit, 1))
    }
}
