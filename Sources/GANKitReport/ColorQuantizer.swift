import Foundation
import GANKitData

/// An image as one palette index per pixel: what an indexed-colour PNG stores.
public struct IndexedPixels: Sendable, Equatable {
    /// Row-major, one byte per pixel.
    public var indices: [UInt8]
    public var palette: [RGB]

    /// The palette as RGB triplets, as `PNGWriter.encode(indices:palette:width:height:)` takes it.
    public var paletteBytes: [UInt8] { palette.flatMap { [$0.r, $0.g, $0.b] } }
}

/// Reduces an RGB raster to at most 256 colours so that a plot can be stored as an indexed PNG.
///
/// Plots are a few pure colours (background, lines, markers) plus their anti-aliased and
/// translucent blends, a few thousand colours in all. An image with at most `maxColors` colours
/// is kept exactly. Otherwise median cut splits the colour cube into boxes. A box where one
/// colour covers at least half the pixels is represented by that colour, not the mean: the
/// background and the pure line colours, which cover most pixels, then stay exact, and only the
/// rare blend colours move. Other boxes are represented by their mean colour. Every colour
/// then takes its nearest representative.
public enum ColorQuantizer {
    public static func quantize(rgb pixels: [UInt8], maxColors: Int = 256) -> IndexedPixels {
        precondition(pixels.count % 3 == 0 && (1...256).contains(maxColors), "RGB bytes and 1…256 colours")
        var counts: [UInt32: Int] = [:]
        for i in stride(from: 0, to: pixels.count, by: 3) { counts[key(pixels, i), default: 0] += 1 }
        let colours = counts.keys.sorted()
        let palette = colours.count <= maxColors ? colours : representatives(colours, counts: counts, boxes: maxColors)
        var slot: [UInt32: UInt8] = [:]
        slot.reserveCapacity(colours.count)
        for colour in colours { slot[colour] = UInt8(nearest(colour, in: palette)) }
        var indices = [UInt8](repeating: 0, count: pixels.count / 3)
        for p in indices.indices { indices[p] = slot[key(pixels, 3 * p)]! }
        return IndexedPixels(indices: indices, palette: palette.map { RGB(UInt8($0 >> 16), UInt8(($0 >> 8) & 255), UInt8($0 & 255)) })
    }

    /// An RGB raster as an indexed PNG of at most 256 colours.
    public static func png(rgb pixels: [UInt8], width: Int, height: Int) throws -> Data {
        let indexed = quantize(rgb: pixels)
        return try PNGWriter.encode(indices: indexed.indices, palette: indexed.paletteBytes, width: width, height: height)
    }

    private static func key(_ p: [UInt8], _ i: Int) -> UInt32 { UInt32(p[i]) << 16 | UInt32(p[i + 1]) << 8 | UInt32(p[i + 2]) }

    private static func channel(_ colour: UInt32, _ c: Int) -> Int { Int((colour >> UInt32(16 - 8 * c)) & 255) }

    /// One box of median cut: a range of the colour list, with its widest channel and population.
    private struct Box {
        var range: Range<Int>
        var channel: Int
        var extent: Int
        var population: Int
    }

    /// Median cut: split the box with the widest channel extent (the more populous on ties) at
    /// its population's median along that channel until there are `target` boxes.
    private static func representatives(_ colours: [UInt32], counts: [UInt32: Int], boxes target: Int) -> [UInt32] {
        var colours = colours
        func box(_ range: Range<Int>) -> Box {
            var low = [255, 255, 255], high = [0, 0, 0], population = 0
            for colour in colours[range] {
                for c in 0..<3 { (low[c], high[c]) = (min(low[c], channel(colour, c)), max(high[c], channel(colour, c))) }
                population += counts[colour]!
            }
            let c = (0..<3).max { (high[$0] - low[$0], $1) < (high[$1] - low[$1], $0) }!
            return Box(range: range, channel: c, extent: high[c] - low[c], population: population)
        }
        var boxes = [box(0..<colours.count)]
        while boxes.count < target {
            guard let chosen = boxes.indices.filter({ boxes[$0].range.count > 1 })
                .max(by: { (boxes[$0].extent, boxes[$0].population) < (boxes[$1].extent, boxes[$1].population) }) else { break }
            let (range, c) = (boxes[chosen].range, boxes[chosen].channel)
            colours[range].sort { (channel($0, c), $0) < (channel($1, c), $1) }
            var running = 0, cut = range.lowerBound + 1
            for i in range.dropLast() {
                running += counts[colours[i]]!
                cut = i + 1
                if 2 * running >= boxes[chosen].population { break }
            }
            boxes[chosen] = box(range.lowerBound..<cut)
            boxes.append(box(cut..<range.upperBound))
        }
        return boxes.map { b in
            let mode = colours[b.range].max { (counts[$0]!, $1) < (counts[$1]!, $0) }!
            guard 2 * counts[mode]! < b.population else { return mode }
            let mean = (0..<3).map { c in
                (Double(colours[b.range].reduce(0) { $0 + channel($1, c) * counts[$1]! }) / Double(b.population)).rounded()
            }
            return UInt32(mean[0]) << 16 | UInt32(mean[1]) << 8 | UInt32(mean[2])
        }
    }

    private static func nearest(_ colour: UInt32, in palette: [UInt32]) -> Int {
        var best = 0, bestDistance = Int.max
        for (i, candidate) in palette.enumerated() {
            let d = (0..<3).reduce(0) { sum, c in let e = channel(colour, c) - channel(candidate, c); return sum + e * e }
            if d < bestDistance { (best, bestDistance) = (i, d) }
        }
        return best
    }
}
