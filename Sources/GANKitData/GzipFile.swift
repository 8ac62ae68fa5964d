import CSystemImage
import Foundation

/// Reads a file that may or may not be gzip-compressed, through zlib's `gzread` (which passes
/// uncompressed files through unchanged), so that the IDX reader accepts both distribution forms.
struct GzipFile: ~Copyable {
    let path: String
    private let file: gzFile

    init(path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else { throw DataError.unreadable(path: path, reason: "no such file") }
        guard let f = gzopen(path, "rb") else { throw DataError.unreadable(path: path, reason: "cannot open") }
        _ = gzbuffer(f, 1 << 17)
        self.path = path
        self.file = f
    }

    deinit { gzclose(file) }

    /// Reads up to `count` bytes into `buffer`; returns how many were read (fewer only at the end).
    /// A decompression error (corrupt or truncated gzip stream) is thrown.
    func read(into buffer: UnsafeMutableRawPointer, count: Int) throws -> Int {
        var done = 0
        while done < count {
            let chunk = UInt32(min(count - done, 1 << 30))
            let n = gzread(file, buffer + done, chunk)
            if n < 0 { throw DataError.unreadable(path: path, reason: "decompression failed: \(errorMessage())") }
            if n == 0 { break }
            done += Int(n)
        }
        if done < count {
            // gzread reports a truncated gzip stream as end of data; gzerror tells them apart.
            var code: Int32 = 0
            let message = gzerror(file, &code).map { String(cString: $0) } ?? ""
            if code != Z_OK && code != Z_STREAM_END {
                throw DataError.unreadable(path: path, reason: "decompression failed: \(message.isEmpty ? "zlib error \(code)" : message)")
            }
        }
        return done
    }

    /// True when nothing is left to read.
    func atEnd() throws -> Bool {
        var byte: UInt8 = 0
        return try withUnsafeMutableBytes(of: &byte) { try read(into: $0.baseAddress!, count: 1) } == 0
    }

    private func errorMessage() -> String {
        var code: Int32 = 0
        return gzerror(file, &code).map { String(cString: $0) } ?? "zlib error \(code)"
    }
}
