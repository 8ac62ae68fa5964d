import Foundation
@testable import GANKitCLI
import GANKitFuzzSupport

/// A run's checkpoint manifest (`checkpoints/checkpoint.json`), read with the tensor file it
/// names: the input is the manifest; beside it lies the tensor file of a tiny real run
/// (`Fuzz/Fixtures`), whose SHA-256 the seed manifests record, so that a manifest that passes
/// the checks goes on to the tensors. The data identity it records is compared with itself.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCheckpoint(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    FuzzInput.write(run.appendingPathComponent("checkpoints/checkpoint.json"), start, count)
    let store = CheckpointStore(run: run)
    _ = try? store.read()
    if let data = try? store.manifest().data { _ = data.mismatch(data) }
    return 0
}

/// The run directory, with the fixture tensor file in place under the name the seeds give it.
private let run: URL = {
    let run = FuzzInput.folder.appendingPathComponent("run")
    let checkpoints = run.appendingPathComponent("checkpoints")
    let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/checkpoint-tensors.safetensors")
    do {
        try FileManager.default.createDirectory(at: checkpoints, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: fixture, to: checkpoints.appendingPathComponent("iteration-00000002.safetensors"))
    } catch { fatalError("fuzz-checkpoint cannot set up its run directory: \(error)") }
    return run
}()
