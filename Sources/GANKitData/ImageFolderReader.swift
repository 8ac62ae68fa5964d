import Foundation
import GANKitTensor

/// Loads every PNG and JPEG file of a folder as a square image data set (e.g. CelebA-like photo
/// collections), so that a user's own images train a GAN without conversion.
///
/// Files are taken in name order (deterministic runs), centre-cropped to a square, resized by area
/// averaging to `size` and converted to grey or RGB, then scaled to [−1, 1]. Files with other
/// extensions are ignored; a corrupt image is an error naming it, never a silently skipped item.
public struct ImageFolderReader: Codable, Equatable, Sendable {
    /// The colour of the output images.
    public enum ColorMode: String, Codable, Sendable, CaseIterable {
        case grayscale, rgb
        public var channels: Int { self == .grayscale ? 1 : 3 }
    }

    /// The output side in pixels.
    public let size: Int
    public let color: ColorMode

    /// The sides GAN architectures in GANKit are built for.
    public static let supportedSizes = [28, 32, 64]
    /// The file extensions read (case-insensitive).
    public static let extensions = ["png", "jpg", "jpeg"]

    public init(size: Int, color: ColorMode) throws {
        guard Self.supportedSizes.contains(size) else {
            throw DataError.invalidOption(name: "size", value: "\(size)", allowed: Self.supportedSizes.map(String.init).joined(separator: ", "))
        }
        self.size = size
        self.color = color
    }

    /// The image files of `folder`, sorted by name.
    public func imageFiles(in folder: URL) throws -> [URL] {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: folder.path) } catch {
            throw DataError.unreadable(path: folder.path, reason: "not a readable folder")
        }
        return names.filter { Self.extensions.contains(($0 as NSString).pathExtension.lowercased()) }
            .sorted()
            .map { folder.appendingPathComponent($0) }
    }

    /// Every image of `folder` as `[N, C, size, size]` (no labels).
    public func read(folder: URL) throws -> ImageDataset {
        let files = try imageFiles(in: folder)
        guard !files.isEmpty else { throw DataError.emptyFolder(path: folder.path, extensions: Self.extensions) }
        let c = color.channels, per = c * size * size
        var images = Tensor(uninitializedShape: [files.count, c, size, size])
        try images.withUnsafeMutableBufferPointer { out in
            for (k, url) in files.enumerated() {
                let decoded = try decode(url)
                ImageResampler.centerCropResize(decoded, size: size, into: UnsafeMutableBufferPointer(rebasing: out[(k * per)..<((k + 1) * per)]))
            }
        }
        return try ImageDataset(images: images)
    }

    /// One file as `[C, size, size]`.
    public func load(file url: URL) throws -> Tensor {
        let decoded = try decode(url)
        var image = Tensor(uninitializedShape: [color.channels, size, size])
        image.withUnsafeMutableBufferPointer { ImageResampler.centerCropResize(decoded, size: size, into: $0) }
        return image
    }

    private func decode(_ url: URL) throws -> DecodedImage {
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw DataError.unreadable(path: url.path, reason: error.localizedDescription) }
        return try ImageCodec.decode(data, channels: color.channels, path: url.path)
    }
}
