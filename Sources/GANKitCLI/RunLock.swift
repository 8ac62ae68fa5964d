import Foundation

/// An advisory lock on a run directory (`RUN/.lock`, flock): one writer at a time. Two
/// `gankit train` into the same directory would otherwise interleave configs, checkpoints and
/// log lines. The lock file holds the writer's process id, so the second one can name it. The
/// kernel releases the lock when the process ends, however it ends.
final class RunLock {
    static let fileName = ".lock"
    private let descriptor: Int32

    /// Takes the lock on `directory` (which must exist), or fails at once naming the holder.
    init(_ directory: URL) throws(CLIError) {
        let url = directory.appendingPathComponent(Self.fileName)
        let fd = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .failure("cannot create \(url.path): \(String(cString: strerror(errno)))") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            var buffer = [UInt8](repeating: 0, count: 32)
            let n = pread(fd, &buffer, 31, 0)
            close(fd)
            let holder = n > 0 ? String(decoding: buffer.prefix(n), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : "another process"
            throw .badInput("\(directory.path) is being written by process \(holder); wait for it to finish, or stop it first")
        }
        let pid = "\(getpid())\n"
        _ = ftruncate(fd, 0)
        _ = pid.withCString { pwrite(fd, $0, strlen($0), 0) }
        descriptor = fd
    }

    deinit { close(descriptor) }
}
