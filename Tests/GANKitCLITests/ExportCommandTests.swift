import Foundation
import GANKitInterop
import GANKitNN
import GANKitSafetensors
import GANKitTensor
import GANKitTestSupport
import Testing
@testable import GANKitCLI

@Suite struct ExportCommandTests {
    @Test func exportWritesG0WithItsArchitectureInMetadataAndSidecar() throws {
        let dir = try makeTemporaryDirectory()
        let run = dir.appendingPathComponent("run")
        #expect(gankit(["train"] + tinyToy + ["--iterations", "3", "--eval-every", "0", "--out", run.path]).status == 0)
        let file = dir.appendingPathComponent("g0.safetensors")
        let r = gankit(["export", run.path, "--output", file.path])
        #expect(r.status == 0, "\(r.error)")
        let exported = try SafetensorsFile.read(from: file)
        let g0 = try checkpointTensors(run).tensors.filter { $0.key.hasPrefix("global.generator.network.") }
        #expect(exported.tensors.count == g0.count)
        for (name, t) in exported.tensors { #expect(t.isBitwiseIdentical(to: g0["global.generator.network." + name]!)) }
        let architecture = try ArchitectureFile.decode(Data(try #require(exported.metadata["gankit.architecture"]).utf8), file: "metadata")
        #expect(architecture.role == .generator)
        #expect(architecture.source.player == "G0")
        let sidecar = try ArchitectureFile.decode(Data(contentsOf: dir.appendingPathComponent("g0.json")), file: "g0.json")
        #expect(sidecar == architecture)
        #expect(gankit(["export", run.path, "--output", file.path]).status == 2)
    }

    @Test func discriminatorsAndONNXAreExportedAndBadRequestsRefused() throws {
        let dir = try makeTemporaryDirectory()
        let run = dir.appendingPathComponent("run")
        #expect(gankit(["train"] + tinyToy + ["--iterations", "3", "--eval-every", "0", "--out", run.path]).status == 0)
        let d2 = dir.appendingPathComponent("d2.safetensors")
        #expect(gankit(["export", run.path, "--discriminator", "2", "--output", d2.path]).status == 0)
        let exported = try SafetensorsFile.read(from: d2)
        let stored = try checkpointTensors(run).tensors.filter { $0.key.hasPrefix("pair2.discriminator.network.") }
        for (name, t) in exported.tensors { #expect(t.isBitwiseIdentical(to: stored["pair2.discriminator.network." + name]!)) }
        let architecture = try ArchitectureFile.decode(Data(contentsOf: dir.appendingPathComponent("d2.json")), file: "d2.json")
        #expect(architecture.role == .discriminator && architecture.output.meaning == "critic" && architecture.source.player == "D2")
        let onnx = dir.appendingPathComponent("g0.onnx")
        #expect(gankit(["export", run.path, "--output", onnx.path]).status == 0)
        #expect(FileManager.default.fileExists(atPath: onnx.path))
        for bad in [["--output", dir.appendingPathComponent("g.txt").path],
                    ["--format", "onnx", "--output", dir.appendingPathComponent("g.safetensors").path],
                    ["--generator", "1", "--discriminator", "1", "--output", dir.appendingPathComponent("x.onnx").path],
                    ["--discriminator", "9", "--output", dir.appendingPathComponent("y.onnx").path]] {
            let r = gankit(["export", run.path] + bad)
            #expect(r.status == 2, "\(bad): \(r.error)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("y.onnx").path))
    }

    /// A spectrally normalised discriminator is exported as the plain network it computes in
    /// evaluation mode: W / σ(W) under the plain names, no u or v.
    @Test func spectrallyNormalisedDiscriminatorIsExportedFolded() throws {
        let dir = try makeTemporaryDirectory()
        let run = dir.appendingPathComponent("run")
        let train = gankit(["train"] + tinyToy + ["--objective", "hinge", "--spectral-norm", "--iterations", "3", "--eval-every", "0", "--out", run.path])
        #expect(train.status == 0, "\(train.error)")
        let file = dir.appendingPathComponent("d0.safetensors")
        let r = gankit(["export", run.path, "--discriminator", "0", "--output", file.path])
        #expect(r.status == 0, "\(r.error)")
        let exported = try SafetensorsFile.read(from: file)
        #expect(!exported.tensors.keys.contains { $0.hasSuffix("_orig") || $0.hasSuffix("_u") || $0.hasSuffix("_v") })
        let loaded = try LoadedRun(run.path)
        let normalised = try loaded.discriminator(0)
        #expect(normalised.namedBuffers.contains { $0.0.hasSuffix("weight_u") })
        var networks = loaded.configuration.networks
        networks.spectralNormalization = false
        var rng = RandomStream(seed: 1)
        let plain = networks.makeDiscriminator(batchNorm: false, using: &rng)
        try plain.load(stateDictionary: exported.tensors)
        let x = Tensor.normal([5, 2], using: &rng)
        normalised.setTraining(false)
        plain.setTraining(false)
        if let v = maxViolation(plain(x), normalised(x), rtol: 1e-5, atol: 1e-6) { Issue.record("exported D0: \(v)") }
    }
}
