/// Centre-crops an image to a square and resizes it by area averaging.
///
/// Area averaging (each output pixel is the mean of the source area it covers, with fractional
/// weights at the edges) is the right filter for the large reductions from photographs to 28–64
/// pixels: bilinear interpolation would sample only a few source pixels and alias. When enlarging,
/// it reduces to nearest-neighbour, which is acceptable for the rare small source image.
public enum ImageResampler {
    /// The centre square of `image` resized to `size × size`, as planar floats `[C, size, size]`
    /// in [−1, 1] (p ↦ p/127.5 − 1), written to `out` (which must hold C·size·size values).
    public static func centerCropResize(_ image: DecodedImage, size: Int, into out: UnsafeMutableBufferPointer<Float>) {
        centerCropResize(image, size: size) { index, value in out[index] = value / 127.5 - 1 }
    }

    /// The centre square of `image` resized to `size × size`, as planar bytes `[C, size, size]`
    /// (each average rounded to the nearest level), written to `out`: what a packed image cache holds.
    public static func centerCropResize(_ image: DecodedImage, size: Int, into out: UnsafeMutableBufferPointer<UInt8>) {
        centerCropResize(image, size: size) { index, value in out[index] = UInt8(min(255, max(0, value.rounded()))) }
    }

    /// The resampling itself, handing each planar output index its value in [0, 255].
    @inline(__always)
    private static func centerCropResize(_ image: DecodedImage, size: Int, store: (Int, Float) -> Void) {
        let side = min(image.width, image.height)
        let x0 = (image.width - side) / 2, y0 = (image.height - side) / 2
        let taps = weights(source: side, target: size)
        let c = image.channels
        // Horizontal pass: side rows × size columns × c, then vertical into the output.
        var rows = [Float](repeating: 0, count: side * size * c)
        image.pixels.withUnsafeBufferPointer { src in
            for y in 0..<side {
                let rowBase = ((y0 + y) * image.width + x0) * c
                for (o, list) in taps.enumerated() {
                    for ch in 0..<c {
                        var acc: Float = 0
                        for (i, w) in list { acc += w * Float(src[rowBase + i * c + ch]) }
                        rows[(y * size + o) * c + ch] = acc
                    }
                }
            }
        }
        let plane = size * size
        for (o, list) in taps.enumerated() {
            for x in 0..<size {
                for ch in 0..<c {
                    var acc: Float = 0
                    for (i, w) in list { acc += w * rows[(i * size + x) * c + ch] }
                    store(ch * plane + o * size + x, acc)
                }
            }
        }
    }

    /// For each output index, the source indices it covers and their weights (summing to 1).
    static func weights(source: Int, target: Int) -> [[(Int, Float)]] {
        let f = Double(source) / Double(target)
        return (0..<target).map { o in
            let lo = Double(o) * f, hi = Double(o + 1) * f
            var list: [(Int, Float)] = []
            var i = Int(lo.rounded(.down))
            while Double(i) < hi, i < source {
                let overlap = min(hi, Double(i + 1)) - max(lo, Double(i))
                if overlap > 1e-12 { list.append((i, Float(overlap / f))) }
                i += 1
            }
            return list
        }
    }
}
