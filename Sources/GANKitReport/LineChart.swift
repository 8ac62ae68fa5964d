import Foundation

/// A metric curve as inline SVG (no script, no external style), for the HTML report.
public struct LineChart: Sendable {
    public struct Series: Sendable {
        public var name: String
        public var points: [(x: Double, y: Double)]
        public var color: RGB

        public init(name: String, points: [(x: Double, y: Double)], color: RGB) {
            self.name = name
            self.points = points
            self.color = color
        }
    }

    public var title: String
    public var series: [Series]

    public init(title: String, series: [Series]) {
        self.title = title
        self.series = series
    }

    /// The chart as an `<svg>` element; non-finite points are left out.
    public func svg(width: Int = 440, height: Int = 240) -> String {
        let finite = series.flatMap(\.points).filter { $0.x.isFinite && $0.y.isFinite }
        let left = 56.0, right = 10.0, top = 24.0, bottom = 28.0
        let w = Double(width) - left - right, h = Double(height) - top - bottom
        var minX = finite.map(\.x).min() ?? 0, maxX = finite.map(\.x).max() ?? 1
        var minY = finite.map(\.y).min() ?? 0, maxY = finite.map(\.y).max() ?? 1
        if maxX <= minX { maxX = minX + 1 }
        if maxY <= minY { let m = abs(minY) * 0.05 + 1e-3; minY -= m; maxY += m }
        func sx(_ x: Double) -> Double { left + (x - minX) / (maxX - minX) * w }
        func sy(_ y: Double) -> Double { top + (maxY - y) / (maxY - minY) * h }
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        func label(_ v: Double) -> String {
            if v == v.rounded(), abs(v) < 1e7 { return String(Int(v)) }
            return abs(v) >= 1e4 || abs(v) < 1e-2 ? String(format: "%.2e", v) : String(format: "%.3g", v)
        }
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" font-family=\"sans-serif\" font-size=\"11\">"
        out += "<rect width=\"\(width)\" height=\"\(height)\" fill=\"white\"/>"
        out += "<text x=\"\(f(left))\" y=\"15\" font-weight=\"bold\">\(HTML.escape(title))</text>"
        out += "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(w))\" height=\"\(f(h))\" fill=\"none\" stroke=\"#bbb\"/>"
        for (v, anchorY) in [(maxY, top + 4), (minY, top + h)] {
            out += "<text x=\"\(f(left - 4))\" y=\"\(f(anchorY))\" text-anchor=\"end\">\(label(v))</text>"
        }
        out += "<text x=\"\(f(left))\" y=\"\(f(top + h + 14))\">\(label(minX))</text>"
        out += "<text x=\"\(f(left + w))\" y=\"\(f(top + h + 14))\" text-anchor=\"end\">\(label(maxX))</text>"
        var legendX = left + 150
        for s in series {
            let pts = s.points.filter { $0.x.isFinite && $0.y.isFinite }
            if !pts.isEmpty {
                let path = pts.map { "\(f(sx($0.x))),\(f(sy($0.y)))" }.joined(separator: " ")
                out += "<polyline fill=\"none\" stroke=\"\(s.color.hex)\" stroke-width=\"1.3\" points=\"\(path)\"/>"
            }
            if series.count > 1 {
                out += "<rect x=\"\(f(legendX))\" y=\"7\" width=\"10\" height=\"10\" fill=\"\(s.color.hex)\"/>"
                out += "<text x=\"\(f(legendX + 13))\" y=\"16\">\(HTML.escape(s.name))</text>"
                legendX += 16 + Double(s.name.count) * 7
            }
        }
        return out + "</svg>"
    }
}
