import Foundation
import GANKitData
import GANKitSafetensors
import GANKitTraining

/// The manifest beside a checkpoint's tensors: which file, its SHA-256 and the trainer's record.
/// It is written (atomically) only after the tensors are on disk, so a crash at any moment
/// leaves the previous manifest pointing at the previous, complete file.
struct CheckpointManifest: Codable {
    var format = 1
    var iteration: Int
    /// The safetensors file, relative to the checkpoints directory.
    var file: String
    var sha256: String
    var record: TrainerCheckpoint.Record
    /// The data the run trains on (absent in checkpoints written before it was recorded).
    var data: DataIdentity?
}

/// A run's checkpoints directory: `iteration-NNNNNNNN.safetensors` and `checkpoint.json`.
struct CheckpointStore {
    let directory: URL
    /// Recorded in every manifest this store writes.
    var data: DataIdentity?
    /// Tensor files kept after a write, the newest first (the manifest names the newest).
    var keep = 1

    init(run: URL, data: DataIdentity? = nil, keep: Int = 1) {
        directory = run.appendingPathComponent("checkpoints")
        self.data = data
        self.keep = max(1, keep)
    }

    var manifestURL: URL { directory.appendingPathComponent("checkpoint.json") }
    var exists: Bool { FileManager.default.fileExists(atPath: manifestURL.path) }

    /// Writes the tensors, then the manifest, then removes tensor files beyond the newest `keep`.
    func write(_ checkpoint: TrainerCheckpoint) throws(CLIError) {
        let name = String(format: "iteration-%08d.safetensors", checkpoint.record.iteration)
        let url = directory.appendingPathComponent(name)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try SafetensorsFile(tensors: checkpoint.tensors, metadata: ["format": "gankit-checkpoint", "iteration": "\(checkpoint.record.iteration)"])
                .write(to: url)
            let manifest = CheckpointManifest(iteration: checkpoint.record.iteration, file: name,
                                              sha256: try SHA256.hex(ofFileAt: url), record: checkpoint.record, data: data)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            try encoder.encode(manifest).write(to: manifestURL, options: .atomic)
        } catch {
            throw .failure("cannot write checkpoint \(url.path): \(error)")
        }
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
            .filter { $0.hasPrefix("iteration-") && $0.hasSuffix(".safetensors") && $0 != name }.sorted(by: >)
        // Zero-padded iteration numbers: the names sort by iteration. A file past this one (left by
        // a run resumed from an older checkpoint) goes first.
        let older = files.filter { $0 < name }, newer = files.filter { $0 > name }
        for f in newer + older.dropFirst(keep - 1) { try? FileManager.default.removeItem(at: directory.appendingPathComponent(f)) }
    }

    /// The manifest alone (cheap: no tensors), e.g. to learn the configuration of a run.
    func manifest() throws(CLIError) -> CheckpointManifest {
        guard exists else { throw .badInput("no checkpoint in \(directory.deletingLastPathComponent().path) (missing \(manifestURL.path))") }
        let m: CheckpointManifest
        do { m = try JSONDecoder().decode(CheckpointManifest.self, from: Data(contentsOf: manifestURL)) } catch {
            throw .badInput("checkpoint manifest \(manifestURL.path) is unreadable or truncated: \(error)")
        }
        // The tensors lie beside the manifest: a name with a path in it would read (and a resume
        // would later delete) files elsewhere.
        guard !m.file.isEmpty, !m.file.contains("/"), m.file != ".", m.file != ".." else {
            throw .badInput("checkpoint manifest \(manifestURL.path) names '\(m.file)', not a file in its own folder")
        }
        return m
    }

    /// Reads and verifies the latest checkpoint: the tensor file must match its recorded SHA-256.
    func read() throws(CLIError) -> TrainerCheckpoint {
        let m = try manifest()
        let url = directory.appendingPathComponent(m.file)
        guard FileManager.default.fileExists(atPath: url.path) else { throw .badInput("checkpoint file \(url.path) is missing") }
        let digest: String
        do { digest = try SHA256.hex(ofFileAt: url) } catch { throw .badInput("cannot read checkpoint file \(url.path): \(error)") }
        guard digest == m.sha256 else {
            throw .badInput("checkpoint file \(url.path) is corrupt or truncated (SHA-256 \(digest.prefix(12))… does not match the manifest's \(m.sha256.prefix(12))…)")
        }
        do { return TrainerCheckpoint(tensors: try SafetensorsFile.read(from: url).tensors, record: m.record) } catch {
            throw .badInput("checkpoint file \(url.path) is unreadable: \(error)")
        }
    }
}
