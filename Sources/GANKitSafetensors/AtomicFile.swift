import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes whole files so that readers (and a resumed run after a crash) see either the old file or
/// the new one, never a half-written one.
enum AtomicFile {
    /// Writes `data` to `url`. Atomically: into a temporary file in the same folder
    /// (`.<name>.tmp-<random>`), fsync, then rename over the destination and fsync the folder; on
    /// any failure the temporary file is removed and the destination is untouched. Not atomically:
    /// straight into the destination, which a failure may leave truncated.
    static func save(_ data: Data, to url: URL, atomically: Bool) throws(SafetensorsError) {
        let path = url.path
        guard atomically else {
            try writeFile(data, path: path, reportedAs: path, flags: O_WRONLY | O_CREAT | O_TRUNC)
            return
        }
        let folder = url.deletingLastPathComponent().path
        let temporary = folder + "/." + url.lastPathComponent + ".tmp-" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
        do {
            try writeFile(data, path: temporary, reportedAs: path, flags: O_WRONLY | O_CREAT | O_EXCL)
        } catch {
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let failure = Self.failure(path, "rename into place")
            unlink(temporary)
            throw failure
        }
        // Make the rename itself durable; a folder that cannot be opened or synced (some file
        // systems) does not undo the completed write.
        let folderDescriptor = open(folder, O_RDONLY | O_CLOEXEC)
        if folderDescriptor >= 0 {
            _ = fsync(folderDescriptor)
            close(folderDescriptor)
        }
    }

    private static func writeFile(_ data: Data, path: String, reportedAs file: String, flags: Int32) throws(SafetensorsError) {
        let descriptor = open(path, flags | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw failure(file, "open \(path)") }
        var problem: SafetensorsError?
        data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            var written = 0
            while written < bytes.count {
                let n = write(descriptor, bytes.baseAddress! + written, bytes.count - written)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { problem = failure(file, "write"); return }
                written += n
            }
        }
        if problem == nil && fsync(descriptor) != 0 { problem = failure(file, "fsync") }
        if close(descriptor) != 0 && problem == nil { problem = failure(file, "close") }
        if let problem { throw problem }
    }

    private static func failure(_ file: String, _ operation: String) -> SafetensorsError {
        .io(file: file, operation: operation, reason: String(cString: strerror(errno)))
    }
}
