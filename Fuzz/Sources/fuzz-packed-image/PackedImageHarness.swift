import GANKitData
import GANKitFuzzSupport

/// The packed image cache file (`PackedImageFile`), memory-mapped from disk, then its images
/// converted to a data set (which reads every mapped byte).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPackedImage(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let url = FuzzInput.file("input.gkimages", start, count)
    if let (images, _) = try? PackedImageFile.read(url) { _ = try? images.dataset() }
    return 0
}
