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

/// Whole-file gzip, for the data files that reports commit: a results table compresses about
/// threefold, and pandas, R and DuckDB read `.csv.gz` directly.
public enum Gzip {
    /// Compresses `data` at level 9 into `url`, through a temporary file renamed into place so
    /// that a failure never leaves a half-written file. zlib writes no timestamp in the header,
    /// so the same data always gives the same bytes.
    public static func write(_ data: Data, to url: URL) throws {
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(getpid()).partial")
        guard let file = gzopen(temporary.path, "wb9") else {
            throw DataError.unwritable(path: url.path, reason: "cannot create \(temporary.lastPathComponent)")
        }
        var written = 0
        data.withUnsafeBytes { bytes in
            while written < bytes.count {
                let chunk = UInt32(min(bytes.count - written, 1 << 30))
                let n = gzwrite(file, bytes.baseAddress! + written, chunk)
                if n <= 0 { break }
                written += Int(n)
            }
        }
        let closed = gzclose(file)
        guard written == data.count, closed == Z_OK else {
            try? FileManager.default.removeItem(at: temporary)
            throw DataError.unwritable(path: url.path, reason: "gzip write failed (\(written) of \(data.count) bytes, zlib code \(closed))")
        }
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw DataError.unwritable(path: url.path, reason: reason)
        }
    }

    /// The decompressed contents of a gzip file (a plain file is returned unchanged).
    public static func read(contentsOf url: URL) throws -> Data {
        let file = try GzipFile(path: url.path)
        var out = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = try buffer.withUnsafeMutableBytes { try file.read(into: $0.baseAddress!, count: $0.count) }
            out.append(contentsOf: buffer[0..<n])
            if n < buffer.count { return out }
        }
    }
}
