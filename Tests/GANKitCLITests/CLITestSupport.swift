import Foundation
import GANKitData
import GANKitSafetensors
import GANKitTestSupport
import GANKitCLI

/// What one `gankit` invocation did.
struct Invocation {
    var status: Int32
    var output: String
    var error: String
}

/// Runs `gankit` in this process. Invocations are serialised: the trainer sets process-wide BLAS
/// threads and signal handlers, which concurrent tests must not interleave.
func gankit(_ arguments: [String]) -> Invocation {
    invocationLock.withLock {
        let captured = CapturedConsole()
        let status = GANKit.run(arguments: arguments, output: captured.console)
        return Invocation(status: status, output: captured.standardOutput, error: captured.standardError)
    }
}

private let invocationLock = NSLock()

/// Small, fast toy settings: an SGAN with 2 local pairs of tiny MLPs.
let tinyToy = ["--dataset", "ring8", "--topology", "sgan", "--pairs", "2", "--width", "16", "--depth", "2", "--latent-dim", "4",
               "--batch-size", "32", "--threads", "1", "--eval-samples", "200"]

/// Every file under `directory` with its SHA-256, to show nothing was rewritten.
func fingerprint(_ directory: URL) throws -> [String: String] {
    var out: [String: String] = [:]
    let e = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey])!
    for case let url as URL in e where (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true {
        out[url.path] = try GANKitData.SHA256.hex(ofFileAt: url)
    }
    return out
}

/// The final checkpoint's tensors of a run.
func checkpointTensors(_ run: URL) throws -> SafetensorsFile {
    let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: run.appendingPathComponent("checkpoints/checkpoint.json"))) as! [String: Any]
    return try SafetensorsFile.read(from: run.appendingPathComponent("checkpoints").appendingPathComponent(manifest["file"] as! String))
}

/// Width and height of a PNG, after checking its signature.
func pngSize(_ url: URL) throws -> (width: Int, height: Int)? {
    let d = [UInt8](try Data(contentsOf: url))
    guard d.count > 24, d.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) else { return nil }
    func be(_ i: Int) -> Int { Int(d[i]) << 24 | Int(d[i + 1]) << 16 | Int(d[i + 2]) << 8 | Int(d[i + 3]) }
    return (be(16), be(20))
}

/// The built `gankit` started in the background with `arguments`, its output discarded.
func launchGankit(_ binary: URL, _ arguments: [String]) throws -> Process {
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    return process
}

/// Waits (at most `seconds`) until `file` exists or `process` has ended.
func waitFor(_ file: URL, while process: Process, seconds: Double = 60) {
    let deadline = Date().addingTimeInterval(seconds)
    while !FileManager.default.fileExists(atPath: file.path), process.isRunning, Date() < deadline { usleep(2000) }
}
