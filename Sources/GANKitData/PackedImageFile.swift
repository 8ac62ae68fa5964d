import Foundation

/// The file a decoded image folder is cached in, so that only the first run pays for decoding.
///
/// Layout: a 4096-byte header — the magic `GKIMAGE1`, the length of a JSON header as a
/// little-endian UInt64, the JSON, zero padding — then the images' bytes `[N, C, H, W]`. The
/// payload starts on a page boundary, so it is memory-mapped as it is. The writer streams images
/// to a temporary file and renames it into place only once complete: an interrupted or failed
/// packing never leaves a half-written cache behind.
public enum PackedImageFile {
    static let magic = Array("GKIMAGE1".utf8)
    /// Bytes before the first image.
    public static let headerSize = 4096

    /// What the JSON header records.
    public struct Header: Codable, Equatable, Sendable {
        public var version = 1
        public var count: Int
        public var channels: Int
        public var height: Int
        public var width: Int
        /// Identifies the source and the decoding settings (`ImageFolderReader.fingerprint`).
        public var fingerprint: String
        /// Where the images came from (a folder's path), for people reading the file.
        public var source: String
        /// Files of the source that were skipped as unreadable.
        public var skipped: Int

        public init(count: Int, channels: Int, height: Int, width: Int, fingerprint: String, source: String, skipped: Int) {
            self.count = count
            self.channels = channels
            self.height = height
            self.width = width
            self.fingerprint = fingerprint
            self.source = source
            self.skipped = skipped
        }
    }

    /// The images of the packed file at `url`, memory-mapped, and its header.
    public static func read(_ url: URL) throws -> (images: PackedImages, header: Header) {
        let storage = try ByteStorage(mapping: url)
        guard storage.count >= headerSize, Array(UnsafeBufferPointer(start: storage.base, count: magic.count)) == magic else {
            throw DataError.badHeader(path: url.path, reason: "not a GANKit packed image file (no GKIMAGE1 header)")
        }
        var length: UInt64 = 0
        withUnsafeMutableBytes(of: &length) { $0.copyMemory(from: UnsafeRawBufferPointer(start: storage.base + 8, count: 8)) }
        // Checked as the UInt64 it is: converting a length past Int.max to Int would trap.
        let declaredLength = UInt64(littleEndian: length)
        guard declaredLength > 0, declaredLength <= UInt64(headerSize - 16) else {
            throw DataError.badHeader(path: url.path, reason: "header length \(declaredLength) out of range")
        }
        let jsonLength = Int(declaredLength)
        let json = Data(bytes: storage.base + 16, count: jsonLength)
        let header: Header
        do { header = try JSONDecoder().decode(Header.self, from: json) } catch {
            throw DataError.badHeader(path: url.path, reason: "unreadable JSON header: \(error)")
        }
        guard header.version == 1 else { throw DataError.badHeader(path: url.path, reason: "version \(header.version); this GANKit reads version 1") }
        guard header.count >= 0, [1, 3].contains(header.channels), header.height > 0, header.width > 0 else {
            throw DataError.badHeader(path: url.path, reason: "\(header.count) images of \(header.channels)×\(header.height)×\(header.width)")
        }
        // Sizes from the file are multiplied with overflow checks, one image first (its size is
        // used on its own later, even when there are no images): a product past Int.max would trap.
        guard let imageBytes = checkedProduct([header.channels, header.height, header.width]),
              let payload = checkedProduct([header.count, imageBytes]), payload <= Int.max - headerSize else {
            throw DataError.badHeader(path: url.path, reason: "\(header.count) images of \(header.channels)×\(header.height)×\(header.width) is out of range")
        }
        guard storage.count >= headerSize + payload else {
            throw DataError.truncated(path: url.path, expectedBytes: headerSize + payload, foundBytes: storage.count)
        }
        guard storage.count == headerSize + payload else { throw DataError.trailingData(path: url.path, expectedBytes: headerSize + payload) }
        let images = try PackedImages(storage: storage, offset: headerSize, count: header.count, channels: header.channels,
                                      height: header.height, width: header.width, labels: nil)
        return (images, header)
    }

    /// The product of `factors`, or nil when it overflows `Int`.
    static func checkedProduct(_ factors: [Int]) -> Int? {
        var product = 1
        for factor in factors {
            let (next, overflow) = product.multipliedReportingOverflow(by: factor)
            if overflow { return nil }
            product = next
        }
        return product
    }

    /// Streams images into a new packed file.
    public final class Writer {
        public let url: URL
        private let temporary: URL
        private let handle: FileHandle
        private var finished = false

        /// Starts `url` (written as `url.partial-<pid>` until `finish`).
        public init(url: URL) throws {
            self.url = url
            temporary = url.deletingLastPathComponent().appendingPathComponent(url.lastPathComponent + ".partial-\(getpid())")
            guard FileManager.default.createFile(atPath: temporary.path, contents: Data(count: PackedImageFile.headerSize)),
                  let handle = FileHandle(forUpdatingAtPath: temporary.path) else {
                throw DataError.unwritable(path: temporary.path, reason: "cannot create the file")
            }
            self.handle = handle
            handle.seekToEndOfFile()
        }

        /// Appends images' bytes.
        public func append(_ bytes: UnsafeBufferPointer<UInt8>) throws {
            do { try handle.write(contentsOf: Data(buffer: bytes)) } catch { throw DataError.unwritable(path: temporary.path, reason: "\(error)") }
        }

        /// Writes `header` and moves the file into place.
        public func finish(_ header: Header) throws {
            let json = try JSONEncoder().encode(header)
            guard json.count <= PackedImageFile.headerSize - 16 else { throw DataError.unwritable(path: url.path, reason: "header too long") }
            var head = Data(PackedImageFile.magic)
            withUnsafeBytes(of: UInt64(json.count).littleEndian) { head.append(contentsOf: $0) }
            head.append(json)
            do {
                try handle.seek(toOffset: 0)
                try handle.write(contentsOf: head)
                try handle.synchronize()
                try handle.close()
                finished = true
                if FileManager.default.fileExists(atPath: url.path) { try FileManager.default.removeItem(at: url) }
                try FileManager.default.moveItem(at: temporary, to: url)
            } catch { throw DataError.unwritable(path: url.path, reason: "\(error)") }
        }

        /// Removes the partial file (after an error or an interruption).
        public func cancel() {
            if !finished { try? handle.close() }
            finished = true
            try? FileManager.default.removeItem(at: temporary)
        }

        deinit { if !finished { cancel() } }
    }
}
