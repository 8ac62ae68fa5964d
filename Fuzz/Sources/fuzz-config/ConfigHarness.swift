@testable import GANKitCLI
import GANKitFuzzSupport

/// A `--config` file (YAML or JSON) read into `TrainOptions`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let url = FuzzInput.file("input.yaml", start, count)
    _ = try? ConfigFile.load(url.path)
    return 0
}
