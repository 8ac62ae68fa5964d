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

/// Found by fuzzing (`scripts/fuzz jpeg`): this 353-byte JPEG announces 65496 × 65496 pixels, and
/// the decoder allocated 4 GB for them before finding the data corrupt. It is now refused from
/// its header.
@Test func aJPEGAnnouncingBillionsOfPixelsIsRefusedBeforeAllocating() throws {
    let fuzzed = Data(base64Encoded: """
        /9j/4AAQSkFJRgABAQAAAAEBAAD/2wBDABALDA4rChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4UG1RV19iZ2hnPk1xeXBkeFxlZ2P/wAAL\
        CP/Y/9gBAREA/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS\
        0fAkM2JyggkKFhcYAQABAAD/2wBDABALDA4MChAODQ4SERATGCgaGBYWITEjJR0oOjM9PDkzODdASFxOQERXRTc4UG1RV19iZ2hnPk1xeXBkeFxlZ2P/wAALCAAQ\
        ABABAREA/wDEHwAAAQUBAR4BAQEAAOTl5ufo6erx8vP09fb3+Pn6/9oACAEBAAA/AFe3uCjioBzSIrvLthlGR5aBRtDwOcmB/9k=
        """)!
    #expect(throws: DataError.corruptImage(path: "f.jpg", reason: "image size 65496x65496 is more than 67108864 pixels")) {
        try ImageCodec.decode(fuzzed, channels: nil, path: "f.jpg")
    }
}

/// The same limit for PNG: a header announcing 16384 × 16384 pixels (within libpng's own limits)
/// is refused before its 256 MB are allocated.
@Test func aPNGAnnouncingTooManyPixelsIsRefusedBeforeAllocating() throws {
    func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for b in bytes {
            crc ^= UInt32(b)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
    func bigEndian(_ v: UInt32) -> [UInt8] { withUnsafeBytes(of: v.bigEndian) { Array($0) } }
    func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        return bigEndian(UInt32(data.count)) + body + bigEndian(crc32(body))
    }
    // 8-bit grey; libpng reads the header up to the first image data chunk (a tiny zlib stream).
    let png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", bigEndian(16384) + bigEndian(16384) + [8, 0, 0, 0, 0])
        + chunk("IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]) + chunk("IEND", [])
    #expect(throws: DataError.corruptImage(path: "f.png", reason: "image size 16384×16384 out of range")) {
        try ImageCodec.decode(Data(png), channels: nil, path: "f.png")
    }
}
