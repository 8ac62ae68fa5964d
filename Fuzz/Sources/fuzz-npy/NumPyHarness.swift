import GANKitFuzzSupport
import GANKitInterop

/// A NumPy `.npy` file (what `gankit sample --noise` reads).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNumPy(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    _ = try? NumPyFile.decode(FuzzInput.data(start, count), file: "input.npy")
    return 0
}
