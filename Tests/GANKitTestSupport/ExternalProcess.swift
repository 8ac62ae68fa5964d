import Foundation

/// Runs other programs from tests (python3 for interoperability checks, the built `gankit`).
public enum ExternalProcess {
    /// Runs `executable` (a path, or a name looked up on PATH) with `arguments`; returns the exit
    /// status, standard output and standard error.
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil)
        throws -> (status: Int32, output: String, error: String) {
        let process = Process()
        if executable.contains("/") {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [executable] + arguments
        }
        if let environment { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes while the process runs, so a full pipe never blocks it.
        nonisolated(unsafe) var errData = Data()
        let reader = Thread { errData = err.fileHandleForReading.readDataToEndOfFile() }
        reader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !reader.isFinished { usleep(1000) }
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }

    /// Whether the Python interoperability tests are switched off (`GANKIT_SKIP_PYTHON_INTEROP=1`).
    public static var skipPython: Bool { ProcessInfo.processInfo.environment["GANKIT_SKIP_PYTHON_INTEROP"] == "1" }
}

/// The shared data sets beside the package: `$GANKIT_DATASETS_DIR`, or `../shared/datasets`.
public enum SharedDatasets {
    public static var directory: URL {
        if let env = ProcessInfo.processInfo.environment["GANKIT_DATASETS_DIR"], !env.isEmpty { return URL(fileURLWithPath: env) }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.deletingLastPathComponent().appendingPathComponent("shared/datasets")
    }

    public static var mnist: URL { directory.appendingPathComponent("mnist") }
}

/// A fresh directory under the system's temporary directory.
public func makeTemporaryDirectory(_ label: String = "gankit") throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
