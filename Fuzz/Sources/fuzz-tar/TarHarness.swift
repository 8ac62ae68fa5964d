import GANKitData
import GANKitFuzzSupport

/// A tar archive (gzip-compressed or not), every regular member read.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTar(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let url = FuzzInput.file("input.tar", start, count)
    _ = try? TarReader.members(of: url) { _ in true }
    return 0
}
