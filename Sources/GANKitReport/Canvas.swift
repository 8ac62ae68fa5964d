import Foundation
import GANKitData

/// An sRGB colour with 8-bit channels.
public struct RGB: Sendable, Equatable {
    public var r: UInt8, g: UInt8, b: UInt8

    public init(_ r: UInt8, _ g: UInt8, _ b: UInt8) {
        self.r = r
        self.g = g
        self.b = b
    }

    /// `#rrggbb`, for the SVG and HTML parts of a report.
    public var hex: String { String(format: "#%02x%02x%02x", r, g, b) }

    /// The colour `t` of the way from `self` to `other`.
    public func mixed(with other: RGB, _ t: Double) -> RGB {
        func m(_ a: UInt8, _ b: UInt8) -> UInt8 { UInt8(max(0, min(255, (Double(a) + (Double(b) - Double(a)) * t).rounded()))) }
        return RGB(m(r, other.r), m(g, other.g), m(b, other.b))
    }

    public static let white = RGB(255, 255, 255)
    public static let black = RGB(0, 0, 0)
}

/// A small RGB raster with the drawing operations GANKit's plots need (filled discs with
/// alpha, lines, rectangles), so that reports need no plotting library.
public struct Canvas: Sendable {
    public let width: Int
    public let height: Int
    /// Row-major, 3 bytes per pixel.
    public private(set) var pixels: [UInt8]

    public init(width: Int, height: Int, background: RGB = .white) {
        self.width = width
        self.height = height
        pixels = [UInt8](repeating: 0, count: width * height * 3)
        for i in 0..<(width * height) {
            pixels[3 * i] = background.r
            pixels[3 * i + 1] = background.g
            pixels[3 * i + 2] = background.b
        }
    }

    /// Blends `color` over pixel (x, y) with opacity `alpha`; points outside are ignored.
    public mutating func blend(_ x: Int, _ y: Int, _ color: RGB, alpha: Double = 1) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        let i = 3 * (y * width + x)
        func mix(_ old: UInt8, _ new: UInt8) -> UInt8 { UInt8((Double(old) * (1 - alpha) + Double(new) * alpha).rounded()) }
        pixels[i] = mix(pixels[i], color.r)
        pixels[i + 1] = mix(pixels[i + 1], color.g)
        pixels[i + 2] = mix(pixels[i + 2], color.b)
    }

    public func pixel(_ x: Int, _ y: Int) -> RGB {
        let i = 3 * (y * width + x)
        return RGB(pixels[i], pixels[i + 1], pixels[i + 2])
    }

    /// A disc of `radius` pixels centred at (x, y), in pixel coordinates.
    public mutating func fillDisc(x: Double, y: Double, radius: Double, color: RGB, alpha: Double = 1) {
        let r = max(radius, 0.5)
        for py in Int((y - r).rounded(.down))...Int((y + r).rounded(.up)) {
            for px in Int((x - r).rounded(.down))...Int((x + r).rounded(.up)) {
                let dx = Double(px) + 0.5 - x, dy = Double(py) + 0.5 - y
                if dx * dx + dy * dy <= r * r { blend(px, py, color, alpha: alpha) }
            }
        }
    }

    public mutating func fillRect(x: Int, y: Int, width w: Int, height h: Int, color: RGB, alpha: Double = 1) {
        for py in y..<(y + h) { for px in x..<(x + w) { blend(px, py, color, alpha: alpha) } }
    }

    /// A one-pixel line from (x0, y0) to (x1, y1) (Bresenham).
    public mutating func line(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, color: RGB, alpha: Double = 1) {
        var x = x0, y = y0
        let dx = abs(x1 - x0), dy = -abs(y1 - y0)
        let sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1
        var err = dx + dy
        while true {
            blend(x, y, color, alpha: alpha)
            if x == x1 && y == y1 { break }
            let e2 = 2 * err
            if e2 >= dy { err += dy; x += sx }
            if e2 <= dx { err += dx; y += sy }
        }
    }

    /// An anti-aliased polyline `width` pixels wide through `points` (pixel coordinates; a single
    /// point is a dot). Each pixel is blended once, by its largest coverage over all segments,
    /// so that joints of a translucent line are not darker than the line.
    public mutating func strokePolyline(_ points: [(x: Double, y: Double)], width: Double, color: RGB, alpha: Double = 1) {
        let points = points.filter { $0.x.isFinite && $0.y.isFinite && abs($0.x) < 1e6 && abs($0.y) < 1e6 }
        guard let first = points.first else { return }
        let reach = width / 2 + 1
        let x0 = max(0, Int((points.map(\.x).min()! - reach).rounded(.down)))
        let x1 = min(self.width - 1, Int((points.map(\.x).max()! + reach).rounded(.up)))
        let y0 = max(0, Int((points.map(\.y).min()! - reach).rounded(.down)))
        let y1 = min(height - 1, Int((points.map(\.y).max()! + reach).rounded(.up)))
        guard x0 <= x1, y0 <= y1 else { return }
        let boxWidth = x1 - x0 + 1
        var coverage = [Double](repeating: 0, count: boxWidth * (y1 - y0 + 1))
        for (a, b) in zip([first] + points.dropLast(), points) {
            let dx = b.x - a.x, dy = b.y - a.y, lengthSquared = dx * dx + dy * dy
            let sx0 = max(x0, Int((min(a.x, b.x) - reach).rounded(.down))), sx1 = min(x1, Int((max(a.x, b.x) + reach).rounded(.up)))
            let sy0 = max(y0, Int((min(a.y, b.y) - reach).rounded(.down))), sy1 = min(y1, Int((max(a.y, b.y) + reach).rounded(.up)))
            guard sx0 <= sx1, sy0 <= sy1 else { continue }
            for py in sy0...sy1 {
                for px in sx0...sx1 {
                    let cx = Double(px) + 0.5, cy = Double(py) + 0.5
                    let t = lengthSquared > 0 ? max(0, min(1, ((cx - a.x) * dx + (cy - a.y) * dy) / lengthSquared)) : 0
                    let ex = cx - (a.x + t * dx), ey = cy - (a.y + t * dy)
                    let c = max(0, min(1, width / 2 + 0.5 - (ex * ex + ey * ey).squareRoot()))
                    let i = (py - y0) * boxWidth + (px - x0)
                    coverage[i] = max(coverage[i], c)
                }
            }
        }
        for py in y0...y1 {
            for px in x0...x1 where coverage[(py - y0) * boxWidth + (px - x0)] > 0 {
                blend(px, py, color, alpha: alpha * coverage[(py - y0) * boxWidth + (px - x0)])
            }
        }
    }

    /// The canvas as PNG data.
    public func png() throws -> Data { try PNGWriter.encode(pixels: pixels, width: width, height: height, channels: 3) }

    /// The canvas as an indexed PNG of at most 256 colours (see `ColorQuantizer`): about half
    /// the size of `png()` for a plot, for reports whose pictures are kept in a repository.
    public func indexedPNG() throws -> Data { try ColorQuantizer.png(rgb: pixels, width: width, height: height) }
}
