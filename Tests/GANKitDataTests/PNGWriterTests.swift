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

@Test func indexedPNGDecodesToThePaletteColours() throws {
    let palette: [UInt8] = [255, 255, 255, 214, 39, 40, 31, 119, 180]
    let indices: [UInt8] = [0, 1, 2, 2, 1, 0]
    let png = try PNGWriter.encode(indices: indices, palette: palette, width: 3, height: 2)
    let decoded = try ImageCodec.decode(png, channels: 3, path: "indexed.png")
    #expect(decoded.pixels == indices.flatMap { Array(palette[3 * Int($0)..<3 * Int($0) + 3]) })
}

@Test func indexedPNGRejectsBadPalettesAndIndices() {
    #expect(throws: DataError.self) { try PNGWriter.encode(indices: [0], palette: [1, 2], width: 1, height: 1) }
    #expect(throws: DataError.self) { try PNGWriter.encode(indices: [0], palette: [UInt8](repeating: 0, count: 3 * 257), width: 1, height: 1) }
    #expect(throws: DataError.self) { try PNGWriter.encode(indices: [0, 1], palette: [0, 0, 0], width: 2, height: 1) }
    #expect(throws: DataError.self) { try PNGWriter.encode(indices: [0, 0], palette: [0, 0, 0], width: 1, height: 1) }
}
