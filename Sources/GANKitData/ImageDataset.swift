import Foundation
import GANKitTensor

/// A set of images in memory, `[N, C, H, W]` with values in [−1, 1], with optional class labels.
///
/// Every image source (IDX, CIFAR-10 binary, a folder of PNG/JPEG files) produces this one type,
/// so training and the metrics need not know where images came from.
public struct ImageDataset: Sendable {
    /// The images, shape `[N, C, H, W]`, values in [−1, 1].
    public let images: Tensor
    /// One class per image, when the source has labels.
    public let labels: [Int]?

    /// Wraps `images` and `labels`, checking that they agree.
    public init(images: Tensor, labels: [Int]? = nil) throws {
        guard images.rank == 4 else {
            throw DataError.invalidOption(name: "images", value: "shape \(images.shape)", allowed: "[N, C, H, W]")
        }
        if let labels, labels.count != images.shape[0] {
            throw DataError.countMismatch(images: "images", imageCount: images.shape[0], labels: "labels", labelCount: labels.count)
        }
        self.images = images
        self.labels = labels
    }

    /// The number of images.
    public var count: Int { images.shape[0] }
    /// `[C, H, W]` of one image.
    public var imageShape: [Int] { Array(images.shape.dropFirst()) }

    /// Which half of a data set with a fixed train/test split.
    public enum Split: String, Codable, Sendable, CaseIterable {
        case train, test
    }

    /// An IDX images file with, optionally, its labels file (their counts must agree).
    public static func idx(images: URL, labels: URL?, classCount: Int = 10) throws -> ImageDataset {
        let tensor = try IDXReader.readImages(at: images)
        guard let labels else { return try ImageDataset(images: tensor) }
        let values = try IDXReader.readLabels(at: labels, classCount: classCount)
        guard values.count == tensor.shape[0] else {
            throw DataError.countMismatch(images: images.path, imageCount: tensor.shape[0], labels: labels.path, labelCount: values.count)
        }
        return try ImageDataset(images: tensor, labels: values)
    }

    /// MNIST or Fashion-MNIST from a folder holding the four standard files
    /// (`train-images-idx3-ubyte.gz`, …), gzip-compressed or not (the `.gz` is preferred).
    /// The images must be 28 × 28.
    public static func mnistLike(directory: URL, split: Split) throws -> ImageDataset {
        let prefix = split == .train ? "train" : "t10k"
        func locate(_ name: String) throws -> URL {
            for candidate in [name + ".gz", name] {
                let url = directory.appendingPathComponent(candidate)
                if FileManager.default.fileExists(atPath: url.path) { return url }
            }
            throw DataError.unreadable(path: directory.appendingPathComponent(name + ".gz").path, reason: "no such file (nor without .gz)")
        }
        let imagesURL = try locate("\(prefix)-images-idx3-ubyte")
        let labelsURL = try locate("\(prefix)-labels-idx1-ubyte")
        let tensor = try IDXReader.readImages(at: imagesURL, expectedSize: (28, 28))
        let values = try IDXReader.readLabels(at: labelsURL, classCount: 10)
        guard values.count == tensor.shape[0] else {
            throw DataError.countMismatch(images: imagesURL.path, imageCount: tensor.shape[0], labels: labelsURL.path, labelCount: values.count)
        }
        return try ImageDataset(images: tensor, labels: values)
    }
}
