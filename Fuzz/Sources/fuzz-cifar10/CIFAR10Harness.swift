@testable import GANKitData
import GANKitFuzzSupport

/// The contents of a CIFAR-10 binary batch, decoded to labelled images.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCIFAR10(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let data = FuzzInput.data(start, count)
    if let packed = try? CIFAR10Reader.decode([("input.bin", data)]) { _ = try? packed.dataset() }
    return 0
}
