@testable import GANKitData
import GANKitFuzzSupport

/// A PNG file through libpng's simplified API, to the file's own channels and, when that works,
/// converted to grey (the conversion paths).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPNG(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let data = FuzzInput.data(start, count)
    if (try? ImageCodec.decodePNG(data, channels: nil, path: "input.png")) != nil {
        _ = try? ImageCodec.decodePNG(data, channels: 1, path: "input.png")
    }
    return 0
}
