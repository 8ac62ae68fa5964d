import GANKitData
import Testing

private func resample(_ image: DecodedImage, size: Int) -> [Float] {
    var out = [Float](repeating: .nan, count: image.channels * size * size)
    out.withUnsafeMutableBufferPointer { ImageResampler.centerCropResize(image, size: size, into: $0) }
    return out
}

@Test func areaResizeAveragesEachCoveredBlock() {
    // 4×4 grey image, halved: each output pixel is the mean of a 2×2 block.
    let pixels: [UInt8] = [0, 0, 255, 255,
                           0, 0, 255, 255,
                           100, 100, 50, 50,
                           100, 100, 50, 150]
    let out = resample(DecodedImage(width: 4, height: 4, channels: 1, pixels: pixels), size: 2)
    let expected: [Float] = [0, 255, 100, 75].map { $0 / 127.5 - 1 }
    for (a, e) in zip(out, expected) { #expect(abs(a - e) < 1e-5) }
}

@Test func centerCropKeepsTheMiddleSquareAndOutputIsPlanar() {
    // 6×2 RGB image: columns 2 and 3 are the centre square; they are red and blue.
    var pixels: [UInt8] = []
    for _ in 0..<2 { for x in 0..<6 { pixels += x == 2 ? [255, 0, 0] : (x == 3 ? [0, 0, 255] : [0, 255, 0]) } }
    let out = resample(DecodedImage(width: 6, height: 2, channels: 3, pixels: pixels), size: 2)
    // Planes R, G, B of 2×2: red left column, blue right column, no green.
    #expect(out == [1, -1, 1, -1, -1, -1, -1, -1, -1, 1, -1, 1])
}

@Test func constantImageStaysConstantAtAnyScale() {
    let image = DecodedImage(width: 37, height: 23, channels: 1, pixels: [UInt8](repeating: 51, count: 37 * 23))
    for size in [28, 32, 64] {
        #expect(resample(image, size: size).allSatisfy { abs($0 - (51 / 127.5 - 1)) < 1e-5 })
    }
}
