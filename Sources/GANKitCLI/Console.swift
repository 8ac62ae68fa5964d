import Foundation

/// Where a command's output goes: the process's standard streams, or a test's collector. The
/// current console is task-local, so commands run in parallel tests do not share it.
public final class Console: @unchecked Sendable {
    private let lock = NSLock()
    private let out: @Sendable (String) -> Void
    private let err: @Sendable (String) -> Void
    /// Whether standard output is a terminal (then progress is a redrawn bar).
    public let isTerminal: Bool

    public init(isTerminal: Bool = false, out: @escaping @Sendable (String) -> Void, err: @escaping @Sendable (String) -> Void) {
        self.isTerminal = isTerminal
        self.out = out
        self.err = err
    }

    public static let standard = Console(
        isTerminal: isatty(STDOUT_FILENO) == 1,
        out: { FileHandle.standardOutput.write(Data($0.utf8)) },
        err: { FileHandle.standardError.write(Data($0.utf8)) })

    @TaskLocal public static var current: Console = .standard

    public func write(_ text: String) {
        lock.lock()
        defer { lock.unlock() }
        out(text)
    }

    public func line(_ text: String) { write(text + "\n") }

    public func error(_ text: String) {
        lock.lock()
        defer { lock.unlock() }
        err(text.hasSuffix("\n") ? text : text + "\n")
    }
}

/// A console that keeps what is written, for tests.
public final class CapturedConsole: @unchecked Sendable {
    private let lock = NSLock()
    private var outText = "", errText = ""
    public init() {}

    public var console: Console {
        Console(out: { [self] s in lock.withLock { outText += s } }, err: { [self] s in lock.withLock { errText += s } })
    }

    public var standardOutput: String { lock.withLock { outText } }
    public var standardError: String { lock.withLock { errText } }
}
