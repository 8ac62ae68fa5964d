import Foundation
import GANKitSafetensors
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
        let architecture = try #require(exported.metadata["gankit.network"])
        #expect(architecture.contains("latentDimension"))
        let sidecar = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("g0.json"))) as? [String: Any]
        #expect(sidecar?["generator"] as? String == "G0")
        #expect(gankit(["export", run.path, "--output", file.path]).status == 2)
    }
}
