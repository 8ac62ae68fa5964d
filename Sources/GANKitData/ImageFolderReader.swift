import Foundation
import GANKitTensor

/// Loads every PNG and JPEG file under a folder (recursively) as a square image data set (e.g.
/// CelebA-like photo collections), so that a user's own images train a GAN without conversion.
///
/// Files are taken in the order of their paths relative to the folder (deterministic runs),
/// centre-cropped to a square, resized by area averaging to `size` and kept as bytes
/// (`PackedImages`). Files with other extensions and hidden files are ignored. A corrupt image,
/// or one whose channel count differs from the others, is an error naming it — or, when asked,
/// skipped and counted, never silently.
///
/// Decoding 200,000 JPEGs takes minutes, so `pack` writes the result to a cache file
/// (`PackedImageFile`) keyed by the files' names, sizes and modification times and the settings;
/// later runs map that file and start in seconds.
public struct ImageFolderReader: Codable, Equatable, Sendable {
    /// The colour of the output images.
    public enum ColorMode: String, Codable, Sendable, CaseIterable {
        case grayscale, rgb
        public var channels: Int { self == .grayscale ? 1 : 3 }
    }

    /// The output side in pixels.
    public let size: Int
    /// The output colour; nil keeps the images' own (all must agree: grey or RGB).
    public let color: ColorMode?

    /// The sides GAN architectures in GANKit are built for.
    public static let supportedSizes = [28, 32, 64]
    /// The file extensions read (case-insensitive).
    public static let extensions = ["png", "jpg", "jpeg"]

    public init(size: Int, color: ColorMode?) throws {
        guard Self.supportedSizes.contains(size) else {
            throw DataError.invalidOption(name: "size", value: "\(size)", allowed: Self.supportedSizes.map(String.init).joined(separator: ", "))
        }
        self.size = size
        self.color = color
    }

    /// The image files under `folder`, sorted by their paths relative to it.
    public func imageFiles(in folder: URL) throws -> [URL] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue,
              let walker = FileManager.default.enumerator(atPath: folder.path) else {
            throw DataError.unreadable(path: folder.path, reason: "not a readable folder")
        }
        var relative: [String] = []
        while let path = walker.nextObject() as? String {
            let name = (path as NSString).lastPathComponent
            if name.hasPrefix(".") {
                if (walker.fileAttributes?[.type] as? FileAttributeType) == .typeDirectory { walker.skipDescendants() }
                continue
            }
            if Self.extensions.contains((name as NSString).pathExtension.lowercased()) { relative.append(path) }
        }
        return relative.sorted().map { folder.appendingPathComponent($0) }
    }

    /// Every image of `folder` as floats `[N, C, size, size]` in [−1, 1] (no labels, no cache).
    public func read(folder: URL) throws -> ImageDataset {
        try pack(folder: folder).images.dataset()
    }

    /// One file as `[C, size, size]` in [−1, 1].
    public func load(file url: URL) throws -> Tensor {
        let decoded = try decode(url, channels: color?.channels)
        var image = Tensor(uninitializedShape: [decoded.channels, size, size])
        image.withUnsafeMutableBufferPointer { ImageResampler.centerCropResize(decoded, size: size, into: $0) }
        return image
    }

    func decode(_ url: URL, channels: Int?) throws -> DecodedImage {
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw DataError.unreadable(path: url.path, reason: error.localizedDescription) }
        return try ImageCodec.decode(data, channels: channels, path: url.path)
    }
}
