import GANKitFuzzSupport
import GANKitSafetensors

/// A safetensors file: the length, the JSON header and the data section.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSafetensors(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    _ = try? SafetensorsFile.decode(FuzzInput.data(start, count), file: "input.safetensors")
    return 0
}
