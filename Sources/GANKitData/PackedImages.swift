import Foundation
import GANKitTensor

#if canImport(Glibc)
import Glibc
#endif

/// An image data set held as bytes `[N, C, H, W]` (0…255), turned into floats in [−1, 1] only a
/// batch at a time: CelebA at 64×64 is 2.5 GB as bytes and would be 10 GB as floats.
///
/// The bytes live in memory (CIFAR-10, a folder decoded without a cache) or in a memory-mapped
/// packed file (`PackedImageFile`), which the kernel pages in and out: a run over a cached folder
/// starts in seconds, and its resident memory is the pages it touched, not a private copy.
public struct PackedImages: Sendable {
    public let count: Int
    public let channels: Int
    public let height: Int
    public let width: Int
    /// One class label per image when the data set has them (CIFAR-10), else nil.
    public let labels: [Int]?
    private let storage: ByteStorage
    /// The first byte of image 0 within `storage`.
    private let offset: Int

    /// Bytes per image.
    public var imageBytes: Int { channels * height * width }
    /// The shape of one image, `[C, H, W]`.
    public var imageShape: [Int] { [channels, height, width] }

    /// Images from `bytes` (`count · C · H · W` of them, image after image, planar).
    public init(bytes: [UInt8], count: Int, channels: Int, height: Int, width: Int, labels: [Int]? = nil) throws {
        guard bytes.count == count * channels * height * width else {
            throw DataError.badHeader(path: "images", reason: "\(bytes.count) bytes for \(count) images of \(channels)×\(height)×\(width)")
        }
        try self.init(storage: ByteStorage(copying: bytes), offset: 0, count: count, channels: channels, height: height, width: width, labels: labels)
    }

    init(storage: ByteStorage, offset: Int, count: Int, channels: Int, height: Int, width: Int, labels: [Int]?) throws {
        if let labels, labels.count != count {
            throw DataError.countMismatch(images: "images", imageCount: count, labels: "labels", labelCount: labels.count)
        }
        self.storage = storage
        self.offset = offset
        self.count = count
        self.channels = channels
        self.height = height
        self.width = width
        self.labels = labels
    }

    /// The first `n` images (all of them when `n` is larger).
    public func prefix(_ n: Int) -> PackedImages {
        let kept = min(max(n, 0), count)
        // The storage and offset are unchanged: only the count shrinks, so nothing is copied.
        return try! PackedImages(storage: storage, offset: offset, count: kept, channels: channels, height: height, width: width,
                                 labels: labels.map { Array($0.prefix(kept)) })
    }

    /// The bytes of image `index`.
    public func withImageBytes<R>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        precondition(index >= 0 && index < count, "image \(index) of \(count)")
        let start = storage.base.advanced(by: offset + index * imageBytes)
        return try body(UnsafeBufferPointer(start: start, count: imageBytes))
    }

    /// Images `rows` as floats `[rows.count, C, H, W]` in [−1, 1] (p ↦ p/127.5 − 1).
    public func floats(rows: [Int]) -> Tensor {
        var out = Tensor(uninitializedShape: [rows.count] + imageShape)
        let n = imageBytes
        out.withUnsafeMutableBufferPointer { o in
            for (k, row) in rows.enumerated() {
                withImageBytes(row) { src in Self.convert(src, into: o.baseAddress! + k * n) }
            }
        }
        return out
    }

    /// Every image as floats `[N, C, H, W]` in [−1, 1] (for evaluation on a held-out set).
    public func floats() -> Tensor { floats(rows: Array(0..<count)) }

    /// As an `ImageDataset` of floats (labels kept).
    public func dataset() throws -> ImageDataset { try ImageDataset(images: floats(), labels: labels) }

    @inline(__always)
    private static func convert(_ src: UnsafeBufferPointer<UInt8>, into dst: UnsafeMutablePointer<Float>) {
        let scale: Float = 1 / 127.5
        for i in 0..<src.count { dst[i] = Float(src[i]) * scale - 1 }
    }
}

/// Bytes owned by one allocation or one read-only memory mapping, freed with the last reference.
final class ByteStorage: @unchecked Sendable {
    let base: UnsafePointer<UInt8>
    let count: Int
    private let release: () -> Void

    /// A private copy of `bytes`.
    init(copying bytes: [UInt8]) {
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: max(bytes.count, 1))
        bytes.withUnsafeBufferPointer { if let b = $0.baseAddress { buffer.update(from: b, count: bytes.count) } }
        base = UnsafePointer(buffer)
        count = bytes.count
        release = { buffer.deallocate() }
    }

    /// The whole file at `url`, mapped read-only (shared with the page cache, not copied).
    init(mapping url: URL) throws {
        let fd = open(url.path, O_RDONLY)
        guard fd >= 0 else { throw DataError.unreadable(path: url.path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw DataError.unreadable(path: url.path, reason: String(cString: strerror(errno))) }
        let size = Int(info.st_size)
        guard size > 0 else { throw DataError.truncated(path: url.path, expectedBytes: 1, foundBytes: 0) }
        guard let address = mmap(nil, size, PROT_READ, MAP_SHARED, fd, 0), address != MAP_FAILED else {
            throw DataError.unreadable(path: url.path, reason: "cannot map it into memory: \(String(cString: strerror(errno)))")
        }
        base = UnsafePointer(address.assumingMemoryBound(to: UInt8.self))
        count = size
        release = { munmap(address, size) }
    }

    deinit { release() }
}
