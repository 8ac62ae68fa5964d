@testable import GANKitData
import GANKitFuzzSupport

/// A JPEG file through libjpeg (via the CImageCodecs wrapper), to the file's own channels and,
/// when that works, converted to RGB (the conversion paths).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJPEG(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let data = FuzzInput.data(start, count)
    if (try? ImageCodec.decodeJPEG(data, channels: nil, path: "input.jpg")) != nil {
        _ = try? ImageCodec.decodeJPEG(data, channels: 3, path: "input.jpg")
    }
    return 0
}
