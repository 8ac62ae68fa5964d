import Foundation
import GANKitData
import GANKitSafetensors
import GANKitTensor
import GANKitTestSupport
import Testing
@testable import GANKitCLI

/// Outputs are never files full of NaN, are bounded before any work, and are written all or nothing.
@Suite struct OutputFaultTests {
    func run(in dir: URL) throws -> URL {
        let run = dir.appendingPathComponent("run")
        #expect(gankit(["train"] + tinyToy + ["--iterations", "3", "--eval-every", "0", "--out", run.path]).status == 0)
        return run
    }

    /// Replaces one weight of G0 in the run's checkpoint with NaN, keeping the manifest's checksum valid.
    func poison(_ run: URL) throws {
        let checkpoints = run.appendingPathComponent("checkpoints")
        let manifestURL = checkpoints.appendingPathComponent("checkpoint.json")
        var manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: manifestURL)) as! [String: Any]
        let fileURL = checkpoints.appendingPathComponent(manifest["file"] as! String)
        var file = try SafetensorsFile.read(from: fileURL)
        var weight = try #require(file.tensors["global.generator.network.0.weight"])
        weight.withUnsafeMutableBufferPointer { $0[0] = .nan }
        file.tensors["global.generator.network.0.weight"] = weight
        try file.write(to: fileURL)
        manifest["sha256"] = try GANKitData.SHA256.hex(ofFileAt: fileURL)
        try JSONSerialization.data(withJSONObject: manifest).write(to: manifestURL)
    }

    @Test func nanWeightsAreRefusedBySampleAndExport() throws {
        let dir = try makeTemporaryDirectory()
        let run = try run(in: dir)
        try poison(run)
        let npy = dir.appendingPathComponent("x.npy"), weights = dir.appendingPathComponent("g0.safetensors")
        let sample = gankit(["sample", run.path, "--output", npy.path])
        #expect(sample.status == 2 && sample.error.contains("NaN or infinite weights (0.weight"), "\(sample.error)")
        let export = gankit(["export", run.path, "--output", weights.path])
        #expect(export.status == 2 && export.error.contains("NaN or infinite weights"), "\(export.error)")
        #expect(!FileManager.default.fileExists(atPath: npy.path) && !FileManager.default.fileExists(atPath: weights.path))
        // A local generator's weights are fine and still sample.
        #expect(gankit(["sample", run.path, "--generator", "1", "--output", npy.path]).status == 0)
    }

    @Test func anUnreasonableSampleCountIsRefusedBeforeAnyWork() throws {
        let dir = try makeTemporaryDirectory()
        let run = try run(in: dir)
        let out = dir.appendingPathComponent("x.npy")
        let r = gankit(["sample", run.path, "--count", "2000000000000", "--output", out.path])
        #expect(r.status == 2 && r.error.contains("invalid --count") && r.error.contains("GiB"), "\(r.error)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test func exportWritesBothFilesOrNeither() throws {
        let dir = try makeTemporaryDirectory()
        let run = try run(in: dir)
        // The description's path is a directory: it cannot be written, so the weights go too.
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("g0.json"), withIntermediateDirectories: true)
        let weights = dir.appendingPathComponent("g0.safetensors")
        let r = gankit(["export", run.path, "--output", weights.path, "--overwrite"])
        #expect(r.status == 1 && r.error.contains("g0.json"), "\(r.error)")
        #expect(!FileManager.default.fileExists(atPath: weights.path))
    }

    @Test func resumingARunAlreadyPastTheAskedIterationChangesNothing() throws {
        let dir = try makeTemporaryDirectory()
        let run = try run(in: dir)
        let before = try fingerprint(run)
        let r = gankit(["train", "--resume", run.path, "--iterations", "2"])
        #expect(r.status == 0 && r.output.contains("nothing to do"), "\(r.output)\(r.error)")
        #expect(try fingerprint(run) == before)
    }
}
