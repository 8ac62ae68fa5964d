import Foundation
import GANKitData
import Testing

/// A smooth 16 × 12 RGB gradient (JPEG reproduces smooth images closely).
func gradientImage(width: Int = 16, height: Int = 12) -> DecodedImage {
    var pixels: [UInt8] = []
    for y in 0..<height { for x in 0..<width { pixels += [UInt8(x * 255 / width), UInt8(y * 255 / height), 128] } }
    return DecodedImage(width: width, height: height, channels: 3, pixels: pixels)
}

@Test func jpegRoundTripIsCloseToTheOriginal() throws {
    let original = gradientImage()
    let data = try ImageCodec.encodeJPEG(original, quality: 95)
    #expect(ImageCodec.sniff(data) == .jpeg)
    let decoded = try ImageCodec.decode(data, channels: 3, path: "memory.jpg")
    #expect(decoded.width == 16 && decoded.height == 12 && decoded.channels == 3)
    let worst = zip(decoded.pixels, original.pixels).map { abs(Int($0) - Int($1)) }.max()!
    #expect(worst <= 12)
    let grey = try ImageCodec.decode(data, channels: 1, path: "memory.jpg")
    #expect(grey.channels == 1 && grey.pixels.count == 16 * 12)
}

@Test func corruptJPEGIsAnErrorNamingTheFileNotAProcessExit() throws {
    let data = try ImageCodec.encodeJPEG(gradientImage(), quality: 90)
    // Keep the SOI marker, destroy the rest.
    var garbage = Data(data.prefix(4))
    garbage.append(Data(repeating: 0x5A, count: 200))
    do {
        _ = try ImageCodec.decode(garbage, channels: 3, path: "/tmp/bad.jpg")
        Issue.record("corrupt JPEG decoded")
    } catch let error as DataError {
        guard case .corruptImage(let path, let reason) = error else { Issue.record("\(error)"); return }
        #expect(path == "/tmp/bad.jpg" && !reason.isEmpty)
    }
    // A truncated JPEG is an error too (libjpeg only warns about it).
    #expect(throws: DataError.self) { try ImageCodec.decode(data.prefix(data.count / 2), channels: 3, path: "half.jpg") }
}

@Test func corruptPNGAndUnknownFormatsAreErrors() throws {
    let png = try PNGWriter.encode(pixels: [UInt8](repeating: 7, count: 64), width: 8, height: 8, channels: 1)
    var broken = png
    broken.replaceSubrange(40..<broken.count, with: Data(repeating: 0xAB, count: broken.count - 40))
    #expect(throws: DataError.self) { try ImageCodec.decode(broken, channels: 1, path: "broken.png") }
    #expect(throws: DataError.self) { try ImageCodec.decode(Data("hello".utf8), channels: 1, path: "hello.png") }
    #expect(throws: DataError.self) { try ImageCodec.decode(png, channels: 2, path: "x.png") }
}
