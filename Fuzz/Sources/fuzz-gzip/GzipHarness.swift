@testable import GANKitData
import GANKitFuzzSupport

/// The gzip stream reader under IDX and tar (zlib's `gzread`, which passes plain files through),
/// read to its end in small chunks.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGzip(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let url = FuzzInput.file("input.gz", start, count)
    do {
        let file = try GzipFile(path: url.path)
        var buffer = [UInt8](repeating: 0, count: 4096)
        var total = 0
        // Bounded: a small input may inflate to far more than a parse should ever read here.
        while total < 1 << 24 {
            let n = try buffer.withUnsafeMutableBytes { try file.read(into: $0.baseAddress!, count: $0.count) }
            if n == 0 { break }
            total += n
        }
        _ = try file.atEnd()
    } catch {}
    return 0
}
