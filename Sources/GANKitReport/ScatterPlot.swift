import Foundation

/// A 2-D scatter plot of real and generated samples over a discriminator's level sets, the
/// picture of SGAN's Figures 3, 4, 8 and 11, rasterised without a plotting library.
public struct ScatterPlot: Sendable {
    /// A square region of the plane, `[-extent, extent]²` around `center`.
    public struct Bounds: Sendable, Equatable {
        public var minX: Double, maxX: Double, minY: Double, maxY: Double

        public init(minX: Double, maxX: Double, minY: Double, maxY: Double) {
            self.minX = minX
            self.maxX = maxX
            self.minY = minY
            self.maxY = maxY
        }

        /// A square box around `points`, with a margin, so every mode shows.
        public static func enclosing(_ points: [SIMD2<Float>], margin: Double = 0.15) -> Bounds {
            let xs = points.map { Double($0.x) }, ys = points.map { Double($0.y) }
            let lo = min(xs.min() ?? -1, ys.min() ?? -1), hi = max(xs.max() ?? 1, ys.max() ?? 1)
            let pad = max(hi - lo, 1e-6) * margin
            return Bounds(minX: lo - pad, maxX: hi + pad, minY: lo - pad, maxY: hi + pad)
        }

        /// Centres of a `resolution`×`resolution` grid of cells, row by row from the top.
        public func gridCenters(resolution: Int) -> [SIMD2<Float>] {
            var out: [SIMD2<Float>] = []
            out.reserveCapacity(resolution * resolution)
            for row in 0..<resolution {
                for col in 0..<resolution {
                    let x = minX + (Double(col) + 0.5) / Double(resolution) * (maxX - minX)
                    let y = maxY - (Double(row) + 0.5) / Double(resolution) * (maxY - minY)
                    out.append(SIMD2(Float(x), Float(y)))
                }
            }
            return out
        }
    }

    /// Points drawn in one colour.
    public struct Series: Sendable {
        public var points: [SIMD2<Float>]
        public var color: RGB
        public var radius: Double
        public var alpha: Double

        public init(points: [SIMD2<Float>], color: RGB, radius: Double = 1.6, alpha: Double = 0.6) {
            self.points = points
            self.color = color
            self.radius = radius
            self.alpha = alpha
        }
    }

    public var bounds: Bounds
    public var series: [Series]
    /// D's probability that a point is real on `bounds.gridCenters(resolution:)`, shaded from
    /// blue (fake) to orange (real) with contour lines every 0.1; nil: no background.
    public var discriminator: [Float]?
    public var resolution: Int

    public init(bounds: Bounds, series: [Series], discriminator: [Float]? = nil, resolution: Int = 0) {
        self.bounds = bounds
        self.series = series
        self.discriminator = discriminator
        self.resolution = resolution
    }

    private static let fakeShade = RGB(198, 219, 239), realShade = RGB(253, 208, 162), contour = RGB(90, 90, 90)

    public func render(size: Int = 480) -> Canvas {
        var canvas = Canvas(width: size, height: size)
        if let field = discriminator, resolution > 1, field.count == resolution * resolution { shade(&canvas, field) }
        // Axes through the origin, light, for orientation.
        let origin = pixel(SIMD2(0, 0), size: size)
        if (0..<size).contains(Int(origin.x)) { canvas.line(Int(origin.x), 0, Int(origin.x), size - 1, color: .black, alpha: 0.15) }
        if (0..<size).contains(Int(origin.y)) { canvas.line(0, Int(origin.y), size - 1, Int(origin.y), color: .black, alpha: 0.15) }
        for s in series {
            for p in s.points where p.x.isFinite && p.y.isFinite {
                let q = pixel(p, size: size)
                canvas.fillDisc(x: q.x, y: q.y, radius: s.radius, color: s.color, alpha: s.alpha)
            }
        }
        return canvas
    }

    private func pixel(_ p: SIMD2<Float>, size: Int) -> (x: Double, y: Double) {
        ((Double(p.x) - bounds.minX) / (bounds.maxX - bounds.minX) * Double(size),
         (bounds.maxY - Double(p.y)) / (bounds.maxY - bounds.minY) * Double(size))
    }

    /// Bilinear interpolation of the grid at every pixel, shading, and a dark pixel wherever the
    /// 0.1-band changes to the right or below: contour lines without marching squares.
    private func shade(_ canvas: inout Canvas, _ field: [Float]) {
        let size = canvas.width, n = resolution
        var value = [Double](repeating: 0, count: size * size)
        for py in 0..<size {
            let gy = min(max((Double(py) + 0.5) / Double(size) * Double(n) - 0.5, 0), Double(n - 1))
            let y0 = Int(gy), y1 = min(y0 + 1, n - 1), ty = gy - Double(y0)
            for px in 0..<size {
                let gx = min(max((Double(px) + 0.5) / Double(size) * Double(n) - 0.5, 0), Double(n - 1))
                let x0 = Int(gx), x1 = min(x0 + 1, n - 1), tx = gx - Double(x0)
                func f(_ r: Int, _ c: Int) -> Double { Double(field[r * n + c]).isFinite ? Double(field[r * n + c]) : 0.5 }
                let top = f(y0, x0) * (1 - tx) + f(y0, x1) * tx, bottom = f(y1, x0) * (1 - tx) + f(y1, x1) * tx
                value[py * size + px] = top * (1 - ty) + bottom * ty
            }
        }
        for py in 0..<size {
            for px in 0..<size {
                let v = min(max(value[py * size + px], 0), 1)
                canvas.blend(px, py, Self.fakeShade.mixed(with: Self.realShade, v))
                let band = Int(v * 10)
                let right = px + 1 < size ? Int(min(max(value[py * size + px + 1], 0), 1) * 10) : band
                let below = py + 1 < size ? Int(min(max(value[(py + 1) * size + px], 0), 1) * 10) : band
                if band != right || band != below { canvas.blend(px, py, Self.contour, alpha: 0.7) }
            }
        }
    }
}
