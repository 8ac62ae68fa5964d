import Foundation

/// What every harness needs around its parser: the fuzz input as `Data`, and as a file for the
/// parsers that read (or memory-map) a path rather than bytes.
public enum FuzzInput {
    /// The input as `Data` (a copy: a parser may keep it beyond the call).
    public static func data(_ start: UnsafeRawPointer?, _ count: Int) -> Data {
        guard let start, count > 0 else { return Data() }
        return Data(bytes: start, count: count)
    }

    /// A scratch folder of this process (under `$GANKIT_FUZZ_TMPDIR`, else the temporary
    /// directory), made once and removed at exit. Harnesses overwrite the same files in it, so
    /// that millions of executions neither fill the disk nor pay for a rename each.
    public static let folder: URL = {
        let base = ProcessInfo.processInfo.environment["GANKIT_FUZZ_TMPDIR"] ?? NSTemporaryDirectory()
        let url = URL(fileURLWithPath: base).appendingPathComponent("gankit-fuzz-\(getpid())")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: FuzzInput.folder) }
        return url
    }()

    /// Writes the input to `name` in the scratch folder (truncating what was there) and returns
    /// its URL. Plain `open`/`write`: FileManager's atomic write costs more than most parses.
    public static func file(_ name: String, _ start: UnsafeRawPointer?, _ count: Int) -> URL {
        write(folder.appendingPathComponent(name), start, count)
    }

    /// Writes `count` bytes at `start` to `url`, replacing its contents.
    @discardableResult
    public static func write(_ url: URL, _ start: UnsafeRawPointer?, _ count: Int) -> URL {
        let fd = open(url.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        precondition(fd >= 0, "fuzz harness cannot write \(url.path)")
        defer { close(fd) }
        var done = 0
        while let start, done < count {
            let n = Foundation.write(fd, start + done, count - done)
            precondition(n > 0, "fuzz harness cannot write \(url.path)")
            done += n
        }
        return url
    }
}
