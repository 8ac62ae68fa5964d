import GANKitData
import GANKitFuzzSupport

/// IDX images and labels (MNIST's format, gzip-compressed or not), read from a file.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIDX(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let url = FuzzInput.file("input.idx", start, count)
    _ = try? IDXReader.readImages(at: url)
    _ = try? IDXReader.readLabels(at: url)
    return 0
}
