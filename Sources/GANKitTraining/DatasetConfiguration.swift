import Foundation
import GANKitData
import GANKitTensor

/// The real data a run trains on, as a configuration names it.
public enum DatasetConfiguration: Codable, Sendable, Equatable {
    /// A 2-D toy distribution sampled afresh for every batch.
    case toy(ToyDataset)
    /// MNIST-format IDX files (MNIST, Fashion-MNIST) in `directory`; `limit` keeps the first images.
    case idx(directory: String, limit: Int?)
    /// CIFAR-10's binary batches (or its .tar.gz) in `directory` (or the archive itself).
    case cifar10(directory: String, limit: Int?)
    /// PNG and JPEG files under `directory`, centre-cropped and resized to `size`; `channels` 1 or
    /// 3 converts every image, nil keeps the images' own (which must agree).
    case imageFolder(directory: String, size: Int, channels: Int?, skipBadImages: Bool, limit: Int?)
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
        case .cifar10, .imageFolder:
            return PackedImageSource(images: try packedImages().images)
        case .text:
            return TextDataSource(corpus: try textCorpus())
        }
    }

    /// The training images of CIFAR-10 or an image folder, as bytes. A folder is decoded once into
    /// a cache file in `cacheDirectory` (nil: decoded into memory), reporting `progress` (files
    /// done, in all) and stopping when `shouldStop` says so (`PackedFolder`).
    public func packedImages(cacheDirectory: URL? = ImageFolderReader.defaultCacheDirectory, progress: (Int, Int) -> Void = { _, _ in },
                             shouldStop: () -> Bool = { false }) throws -> PackedFolder {
        switch self {
        case let .cifar10(directory, limit):
            let images = try CIFAR10Reader.packed(location: URL(fileURLWithPath: directory), split: .train)
            return PackedFolder(images: limit.map { images.prefix($0) } ?? images, skipped: [], skippedCount: 0, cacheFile: nil, fromCache: false)
        case let .imageFolder(directory, size, channels, skipBadImages, limit):
            let reader = try ImageFolderReader(size: size, color: channels.map { $0 == 1 ? .grayscale : .rgb })
            var packed = try reader.pack(folder: URL(fileURLWithPath: directory), skipBadImages: skipBadImages, cacheDirectory: cacheDirectory,
                                         progress: progress, shouldStop: shouldStop)
            if let limit { packed.images = packed.images.prefix(limit) }
            return packed
        default:
            throw DataError.invalidOption(name: "dataset", value: "\(self)", allowed: "CIFAR-10 or an image folder")
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
