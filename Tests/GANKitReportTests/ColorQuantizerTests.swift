import Foundation
import GANKitData
import GANKitReport
import Testing

/// `count` pixels of distinct colours (a gradient over red and green), each appearing once.
private func gradient(_ count: Int) -> [UInt8] {
    var pixels: [UInt8] = []
    for i in 0..<count {
        let red = UInt8(i % 64 * 4), green = UInt8(i / 64 % 64 * 4)
        pixels += [red, green, 100]
    }
    return pixels
}

@Test func anImageOfFewColoursIsKeptExactly() throws {
    var canvas = Canvas(width: 60, height: 40)
    canvas.fillDisc(x: 20, y: 20, radius: 8, color: Palette.global)
    canvas.fillRect(x: 35, y: 5, width: 10, height: 30, color: Palette.localGenerator(1))
    let png = try canvas.indexedPNG()
    let decoded = try ImageCodec.decode(png, channels: 3, path: "plot.png")
    #expect(decoded.pixels == canvas.pixels)
    #expect(ColorQuantizer.quantize(rgb: canvas.pixels).palette.count == 3)
}

@Test func manyColoursAreReducedToAtMost256AndTheCommonestStayExact() throws {
    // 4,096 rare gradient colours beside a background that covers most pixels.
    let background: [UInt8] = [255, 255, 255]
    let pixels = gradient(4096) + (0..<20_000).flatMap { _ in background }
    let indexed = ColorQuantizer.quantize(rgb: pixels)
    #expect(indexed.palette.count == 256)
    #expect(indexed.palette[Int(indexed.indices.last!)] == RGB(255, 255, 255))
    var worst = 0
    for (p, index) in indexed.indices.enumerated() {
        let c = indexed.palette[Int(index)]
        worst = max(worst, abs(Int(c.r) - Int(pixels[3 * p])), abs(Int(c.g) - Int(pixels[3 * p + 1])), abs(Int(c.b) - Int(pixels[3 * p + 2])))
    }
    // 4,096 colours on a 64 × 64 lattice of step 4 in 256 boxes: each box spans about 4 × 4
    // lattice points, so no pixel moves by more than a few steps.
    #expect(worst > 0 && worst <= 16)
    #expect(ColorQuantizer.quantize(rgb: pixels) == indexed)
}

@Test func aQuantizedPlotIsSmallerThanItsRGBPNGAndLooksTheSame() throws {
    var canvas = Canvas(width: 320, height: 200)
    for k in 1...6 {
        let points: [(x: Double, y: Double)] = (0..<50).map { i in
            let t = Double(i)
            return (x: t * 6 + 10, y: 100 + 60 * sin(t / 5 + Double(k)))
        }
        canvas.strokePolyline(points, width: 2.5, color: Palette.localGenerator(k), alpha: 0.7)
    }
    for i in 0..<400 { canvas.fillDisc(x: Double(i * 37 % 320), y: Double(i * 53 % 200), radius: 2, color: Palette.global, alpha: 0.3) }
    let rgb = try canvas.png(), indexed = try canvas.indexedPNG()
    #expect(indexed.count < rgb.count)
    let decoded = try ImageCodec.decode(indexed, channels: 3, path: "plot.png")
    let meanError = zip(decoded.pixels, canvas.pixels).reduce(0.0) { $0 + abs(Double($1.0) - Double($1.1)) } / Double(canvas.pixels.count)
    #expect(meanError < 1.0)
}
