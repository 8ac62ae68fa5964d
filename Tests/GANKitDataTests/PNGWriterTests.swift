import Foundation
import GANKitData
import GANKitTensor
import Testing

@Test func pngWrittenThenDecodedGivesTheSamePixels() throws {
    let dir = try TestFiles.scratch()
    defer { try? FileManager.default.removeItem(at: dir) }
    let pixels = (0..<(5 * 4 * 3)).map { UInt8(truncatingIfNeeded: $0 * 4) }
    let url = dir.appendingPathComponent("rgb.png")
    try PNGWriter.write(pixels: pixels, width: 5, height: 4, channels: 3, to: url)
    let decoded = try ImageCodec.decode(try Data(contentsOf: url), channels: 3, path: url.path)
    #expect(decoded == DecodedImage(width: 5, height: 4, channels: 3, pixels: pixels))
}

@Test func pngOfATensorImageMapsMinusOneOneTo0And255() throws {
    let dir = try TestFiles.scratch()
    defer { try? FileManager.default.removeItem(at: dir) }
    let url = dir.appendingPathComponent("grey.png")
    try PNGWriter.write(image: Tensor(shape: [1, 1, 4], values: [-1, 0, 1, 3]), to: url)
    let decoded = try ImageCodec.decode(try Data(contentsOf: url), channels: 1, path: url.path)
    #expect(decoded.pixels == [0, 128, 255, 255])
}

@Test func pngWriterRejectsInconsistentArguments() {
    #expect(throws: DataError.self) { try PNGWriter.encode(pixels: [1, 2, 3], width: 2, height: 2, channels: 1) }
    #expect(throws: DataError.self) { try PNGWriter.encode(pixels: [], width: 0, height: 0, channels: 1) }
    #expect(throws: DataError.self) { try PNGWriter.encode(pixels: [1], width: 1, height: 1, channels: 5) }
}
