import Foundation

/// Appends records in TFRecord framing, the container of TensorBoard's event files:
/// `uint64 length`, `uint32 masked CRC32C(length)`, `data`, `uint32 masked CRC32C(data)`, all
/// little-endian.
final class TFRecordWriter {
    private let handle: FileHandle

    /// Opens `url` for appending, creating it if needed.
    init(url: URL) throws {
        if !FileManager.default.fileExists(atPath: url.path) {
            guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
                throw ReportError.unwritable(path: url.path)
            }
        }
        handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
    }

    deinit { try? handle.close() }

    static func frame(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(data.count + 16)
        let length = withUnsafeBytes(of: UInt64(data.count).littleEndian) { Array($0) }
        out += length
        withUnsafeBytes(of: CRC32C.masked(length).littleEndian) { out += $0 }
        out += data
        withUnsafeBytes(of: CRC32C.masked(data).littleEndian) { out += $0 }
        return out
    }

    func write(_ record: [UInt8]) throws { try handle.write(contentsOf: Self.frame(record)) }

    func flush() throws { try handle.synchronize() }
}
