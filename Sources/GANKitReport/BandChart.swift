import Foundation

/// Metric curves with shaded confidence bands: the mean of a metric over seeds against training
/// iteration (or against a parameter such as the number of pairs N), one line per variant, its
/// confidence interval as a translucent band beneath the line.
///
/// The same chart renders as a standalone SVG file (for the HTML report) and as a PNG (for
/// places that show only images); both are laid out by one `Layout`, so they show the same ticks,
/// labels and legend. Non-finite values are left out, breaking a curve into pieces; no data, a
/// constant metric or a single point still give a valid chart.
public struct BandChart: Sendable {
    /// A mean `y` at `x` and its band `lower…upper` (e.g. a 95% confidence interval over seeds).
    public struct Point: Sendable, Equatable {
        public var x: Double
        public var y: Double
        public var lower: Double
        public var upper: Double

        public init(x: Double, y: Double, lower: Double, upper: Double) {
            self.x = x
            self.y = y
            self.lower = lower
            self.upper = upper
        }

        /// A point with no band (one seed, or a metric without spread).
        public init(x: Double, y: Double) { self.init(x: x, y: y, lower: y, upper: y) }
    }

    /// One variant: its curve, its colour and its name in the legend.
    public struct Series: Sendable {
        public var name: String
        public var color: RGB
        public var points: [Point]

        public init(name: String, color: RGB, points: [Point]) {
            self.name = name
            self.color = color
            self.points = points
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [Series]
    /// A logarithmic y axis, for metrics that fall over decades (MMD², a loss). Points whose mean
    /// is not positive are left out; a band whose lower end is not positive runs to the axis' foot.
    public var logY: Bool
    /// A dot on every point, for x values that are a few settings (N = 1, 2, 4, 8) rather than a
    /// dense curve. A point with no drawn neighbour always gets a dot, and its band a bar.
    public var markers: Bool

    public init(title: String, xLabel: String, yLabel: String, series: [Series], logY: Bool = false, markers: Bool = false) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.logY = logY
        self.markers = markers
    }

    /// Opacity of a band over the white background and the grid.
    static let bandOpacity = 0.2

    /// The chart as a standalone SVG file (white background, no script, no external style).
    public func svg(width: Int = 640, height: Int = 400) -> String {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + svgElement(width: width, height: height)
    }

    /// The chart as an `<svg>` element, to place inline in HTML (`HTMLReport.Block.charts`).
    public func svgElement(width: Int = 640, height: Int = 400) -> String {
        let layout = vectorLayout(width: width, height: height)
        let fontSize = Self.fontSize, titleSize = Self.titleFontSize
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        func points(_ ps: [(x: Double, y: Double)]) -> String { ps.map { "\(f($0.x)),\(f($0.y))" }.joined(separator: " ") }
        let p = layout.plot
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" font-family=\"sans-serif\" font-size=\"\(Int(fontSize))\">\n"
        out += "<rect width=\"\(width)\" height=\"\(height)\" fill=\"white\"/>\n"
        out += "<path class=\"grid\" fill=\"none\" stroke=\"#e6e6e6\" d=\""
            + layout.grid.map { "M\(f($0.x0)),\(f($0.y0))L\(f($0.x1)),\(f($0.y1))" }.joined() + "\"/>\n"
        for (s, runs) in zip(series, layout.runs) {
            for run in runs where run.count > 1 && run.contains(where: { $0.lower != $0.upper }) {
                out += "<polygon class=\"band\" fill=\"\(s.color.hex)\" fill-opacity=\"\(Self.bandOpacity)\" stroke=\"none\" points=\"\(points(Layout.outline(of: run)))\"/>\n"
            }
            for run in runs where run.count == 1 && run[0].lower != run[0].upper {
                out += "<line class=\"band\" stroke=\"\(s.color.hex)\" stroke-opacity=\"0.5\" stroke-width=\"1.5\" x1=\"\(f(run[0].x))\" y1=\"\(f(run[0].lower))\" x2=\"\(f(run[0].x))\" y2=\"\(f(run[0].upper))\"/>\n"
            }
        }
        for (s, runs) in zip(series, layout.runs) {
            for run in runs where run.count > 1 {
                out += "<polyline fill=\"none\" stroke=\"\(s.color.hex)\" stroke-width=\"2\" stroke-linejoin=\"round\" points=\"\(points(run.map { ($0.x, $0.y) }))\"><title>\(HTML.escape(s.name))</title></polyline>\n"
            }
            for run in runs {
                for q in run where markers || run.count == 1 {
                    out += "<circle cx=\"\(f(q.x))\" cy=\"\(f(q.y))\" r=\"3.5\" fill=\"\(s.color.hex)\" stroke=\"white\"/>\n"
                }
            }
        }
        out += "<rect x=\"\(f(p.left))\" y=\"\(f(p.top))\" width=\"\(f(p.width))\" height=\"\(f(p.height))\" fill=\"none\" stroke=\"#444\"/>\n"
        out += "<path class=\"ticks\" stroke=\"#444\" d=\"" + layout.tickMarks.map { "M\(f($0.x0)),\(f($0.y0))L\(f($0.x1)),\(f($0.y1))" }.joined() + "\"/>\n"
        for entry in layout.legend {
            let s = series[entry.series], h = layout.line * 0.7
            out += "<rect x=\"\(f(entry.x))\" y=\"\(f(entry.y - h / 2))\" width=\"\(f(layout.swatch))\" height=\"\(f(h))\" fill=\"\(s.color.hex)\" fill-opacity=\"\(Self.bandOpacity)\"/>"
            out += "<line x1=\"\(f(entry.x))\" y1=\"\(f(entry.y))\" x2=\"\(f(entry.x + layout.swatch))\" y2=\"\(f(entry.y))\" stroke=\"\(s.color.hex)\" stroke-width=\"2\"/>\n"
        }
        for label in layout.labels {
            let size = label.role == .title ? titleSize : fontSize
            let anchor = ["start", "middle", "end"][label.anchor.rawValue]
            let weight = label.role == .title ? " font-weight=\"bold\"" : ""
            let fill = label.role == .tick ? "#333" : "black"
            // `y` is the middle of a capital; the baseline sits about 0.36 em below it.
            let position = label.vertical
                ? "transform=\"translate(\(f(label.x + size * 0.36)),\(f(label.y))) rotate(-90)\""
                : "x=\"\(f(label.x))\" y=\"\(f(label.y + size * 0.36))\""
            out += "<text \(position) text-anchor=\"\(anchor)\" font-size=\"\(Int(size))\"\(weight) fill=\"\(fill)\">\(HTML.escape(label.text))</text>\n"
        }
        return out + "</svg>\n"
    }

    /// The chart rasterised (write it with `png()`). Text is drawn in `BitmapFont`, scaled with
    /// the canvas (twice its size from 1280×800 up), so that it stays legible at any resolution.
    public func render(width: Int = 640, height: Int = 400) -> Canvas {
        var canvas = Canvas(width: max(width, 1), height: max(height, 1))
        let (layout, s) = rasterLayout(width: width, height: height), titleScale = s + 1
        let lineWidth = 1.0 + Double(s)
        func pixel(_ v: Double) -> Int { Int(max(-1e6, min(1e6, v)).rounded(.down)) }
        for g in layout.grid { canvas.line(pixel(g.x0), pixel(g.y0), pixel(g.x1), pixel(g.y1), color: RGB(230, 230, 230)) }
        for (variant, runs) in zip(series, layout.runs) {
            for run in runs {
                if run.count == 1, run[0].lower != run[0].upper {
                    canvas.strokePolyline([(run[0].x, run[0].lower), (run[0].x, run[0].upper)], width: lineWidth * 0.75, color: variant.color, alpha: 0.5)
                } else {
                    canvas.fillBand(run, color: variant.color, alpha: Self.bandOpacity)
                }
            }
        }
        for (variant, runs) in zip(series, layout.runs) {
            for run in runs {
                if run.count > 1 { canvas.strokePolyline(run.map { ($0.x, $0.y) }, width: lineWidth, color: variant.color) }
                for q in run where markers || run.count == 1 {
                    canvas.fillDisc(x: q.x, y: q.y, radius: 2.5 * Double(s) + 1, color: .white)
                    canvas.fillDisc(x: q.x, y: q.y, radius: 2.5 * Double(s), color: variant.color)
                }
            }
        }
        let frame = RGB(68, 68, 68), p = layout.plot
        let (left, top) = (pixel(p.left), pixel(p.top)), (right, bottom) = (pixel(p.left + p.width), pixel(p.top + p.height))
        for (x0, y0, x1, y1) in [(left, top, right, top), (right, top, right, bottom), (right, bottom, left, bottom), (left, bottom, left, top)] {
            canvas.line(x0, y0, x1, y1, color: frame)
        }
        for t in layout.tickMarks { canvas.line(pixel(t.x0), pixel(t.y0), pixel(t.x1), pixel(t.y1), color: frame) }
        for entry in layout.legend {
            let color = series[entry.series].color, h = layout.line * 0.7
            canvas.fillRect(x: pixel(entry.x), y: pixel(entry.y - h / 2), width: pixel(layout.swatch), height: pixel(h), color: color, alpha: Self.bandOpacity)
            canvas.strokePolyline([(entry.x, entry.y), (entry.x + layout.swatch, entry.y)], width: lineWidth, color: color)
        }
        for label in layout.labels {
            var scale = label.role == .title ? titleScale : s
            // A title wider than the canvas steps down in size rather than being cut off.
            while label.role == .title, scale > 1, BitmapFont.width(of: label.text, scale: scale) > width - 8 { scale -= 1 }
            let length = Double(BitmapFont.width(of: label.text, scale: scale)), cap = Double(BitmapFont.capHeight * scale)
            let offset = [0, length / 2, length][label.anchor.rawValue]
            let color = label.role == .tick ? RGB(51, 51, 51) : .black
            if label.vertical {
                canvas.drawText(label.text, x: pixel(label.x - cap / 2), y: pixel(label.y + offset), color: color, scale: scale, vertical: true)
            } else {
                canvas.drawText(label.text, x: pixel(label.x - offset), y: pixel(label.y - cap / 2), color: color, scale: scale)
            }
        }
        return canvas
    }

    /// Font sizes of the SVG, in pixels.
    static let fontSize = 12.0, titleFontSize = 15.0

    /// The SVG's layout: common sans-serif fonts (DejaVu Sans, Arial) average at most about 0.62 em
    /// per character; overestimating only leaves room.
    func vectorLayout(width: Int, height: Int) -> Layout {
        Layout(chart: self, width: Double(width), height: Double(height), line: Self.fontSize * 1.25, titleLine: Self.titleFontSize * 1.25,
               measure: { Double($0.count) * Self.fontSize * 0.62 })
    }

    /// The PNG's layout and the scale of its text (the title one larger).
    func rasterLayout(width: Int, height: Int) -> (Layout, textScale: Int) {
        let s = max(1, min(width / 640, height / 400)), line = BitmapFont.capHeight + BitmapFont.descent + 3
        let layout = Layout(chart: self, width: Double(width), height: Double(height), line: Double(line * s), titleLine: Double(line * (s + 1)),
                            measure: { Double(BitmapFont.width(of: $0, scale: s)) })
        return (layout, s)
    }

    /// The drawn points of `series`, each run between two left-out points sorted by x: finite
    /// x and y (y positive on a logarithmic axis), a missing band end replaced by y.
    func runs(of series: Series) -> [[Point]] {
        var runs: [[Point]] = [], current: [Point] = []
        for p in series.points {
            guard p.x.isFinite, p.y.isFinite, !logY || p.y > 0 else {
                if !current.isEmpty { runs.append(current) }
                current = []
                continue
            }
            let lower = p.lower.isFinite ? p.lower : p.y, upper = p.upper.isFinite ? p.upper : p.y
            current.append(Point(x: p.x, y: p.y, lower: min(lower, upper), upper: max(lower, upper)))
        }
        if !current.isEmpty { runs.append(current) }
        return runs.map { $0.sorted { $0.x < $1.x } }
    }
}

extension BandChart {
    /// Where every part of a `BandChart` goes, in pixels, given how large its text is: the one
    /// geometry that both the SVG and the PNG draw.
    struct Layout {
        struct Segment { var x0, y0, x1, y1: Double }
        enum Anchor: Int { case start, middle, end }
        enum Role { case title, axis, tick, legend }
        /// A text: (x, y) is where its anchor meets the middle of its capitals.
        struct Label {
            var text: String
            var x: Double, y: Double
            var anchor: Anchor
            var role: Role
            /// Reading upwards, with `x` and `y` swapped in meaning (as a y-axis label).
            var vertical = false
        }
        /// A series' entry in the legend: its swatch starts at x, centred on y.
        struct LegendEntry { var series: Int; var x: Double, y: Double }

        let plot: (left: Double, top: Double, width: Double, height: Double)
        let xAxis: ChartAxis, yAxis: ChartAxis
        /// Per series, its runs in pixel coordinates (y, lower and upper mapped to pixel rows).
        let runs: [[[BandChart.Point]]]
        let grid: [Segment]
        let tickMarks: [Segment]
        let labels: [Label]
        let legend: [LegendEntry]
        /// Height of a line of text, and length of a legend swatch.
        let line: Double, swatch: Double

        /// `line` is the height of a line of text (`titleLine` of the title's) and `measure` the
        /// width of a text; the title is centred and needs no width.
        init(chart: BandChart, width: Double, height: Double, line: Double, titleLine: Double, measure: (String) -> Double) {
            let swatch = line * 1.6
            let gap = line * 0.5, tick = line * 0.35
            let dataRuns = chart.series.map(chart.runs(of:))
            let drawn = dataRuns.flatMap { $0.flatMap { $0 } }
            let xAxis = ChartAxis(values: drawn.map(\.x), nice: false, padding: chart.markers ? 0.04 : 0)
            // Tick counts depend on the size alone, so that the SVG and the PNG show the same ticks.
            let yAxis = ChartAxis(values: drawn.flatMap { [$0.y, $0.lower, $0.upper] }, logarithmic: chart.logY, nice: true,
                                  tickCount: max(2, min(6, Int(height / 80))))

            let yTickWidth = yAxis.ticks.map { measure(yAxis.label($0)) }.max() ?? 0
            let left = gap + (chart.yLabel.isEmpty ? 0 : line + gap / 2) + yTickWidth + gap / 2 + tick

            // Legend: a column right of the plot when the names are short and few, else rows beneath it.
            let entryWidths = chart.series.map { swatch + gap + measure($0.name) }
            let legendBeside = !chart.series.isEmpty && (entryWidths.max() ?? 0) <= width * 0.28
                && Double(chart.series.count) * line * 1.2 <= height * 0.6
            var legendRows: [[Int]] = []
            if !legendBeside {
                var rowWidth = 0.0
                for (i, w) in entryWidths.enumerated() {
                    if legendRows.isEmpty || rowWidth + w > width - gap - left { legendRows.append([]); rowWidth = 0 }
                    legendRows[legendRows.count - 1].append(i)
                    rowWidth += w + 2 * gap
                }
            }

            var top = gap
            let titleY = top + titleLine / 2
            if !chart.title.isEmpty { top += titleLine }
            top += line / 2  // the top tick label is centred on the plot's top edge
            let lastXTick = xAxis.ticks.last.map { measure(xAxis.label($0)) } ?? 0
            let right = legendBeside ? width - gap - (entryWidths.max() ?? 0) - 2 * gap : width - gap - lastXTick / 2
            let legendHeight = Double(legendRows.count) * line * 1.2
            let bottom = height - gap - legendHeight - (chart.xLabel.isEmpty ? 0 : line) - line - tick
            let plot = (left: left, top: top, width: max(right - left, 1), height: max(bottom - top, 1))

            func px(_ x: Double) -> Double { plot.left + xAxis.fraction(x) * plot.width }
            func py(_ y: Double) -> Double { plot.top + (1 - max(0, min(1, yAxis.fraction(y)))) * plot.height }
            runs = dataRuns.map { $0.map { $0.map { BandChart.Point(x: px($0.x), y: py($0.y), lower: py($0.lower), upper: py($0.upper)) } } }

            var grid: [Segment] = [], tickMarks: [Segment] = [], labels: [Label] = []
            let plotBottom = plot.top + plot.height
            for t in xAxis.ticks {
                let x = px(t)
                grid.append(Segment(x0: x, y0: plot.top, x1: x, y1: plotBottom))
                tickMarks.append(Segment(x0: x, y0: plotBottom, x1: x, y1: plotBottom + tick))
                labels.append(Label(text: xAxis.label(t), x: x, y: plotBottom + tick + line / 2, anchor: .middle, role: .tick))
            }
            for t in yAxis.ticks {
                let y = py(t)
                grid.append(Segment(x0: plot.left, y0: y, x1: plot.left + plot.width, y1: y))
                tickMarks.append(Segment(x0: plot.left - tick, y0: y, x1: plot.left, y1: y))
                labels.append(Label(text: yAxis.label(t), x: plot.left - tick - gap / 2, y: y, anchor: .end, role: .tick))
            }
            if !chart.title.isEmpty {
                labels.append(Label(text: chart.title, x: width / 2, y: titleY, anchor: .middle, role: .title))
            }
            if !chart.xLabel.isEmpty {
                labels.append(Label(text: chart.xLabel, x: plot.left + plot.width / 2, y: plotBottom + tick + line * 1.5, anchor: .middle, role: .axis))
            }
            if !chart.yLabel.isEmpty {
                labels.append(Label(text: chart.yLabel, x: gap + line / 2, y: plot.top + plot.height / 2, anchor: .middle, role: .axis, vertical: true))
            }

            var legend: [LegendEntry] = []
            if legendBeside {
                let x = plot.left + plot.width + 2 * gap
                for i in chart.series.indices {
                    let y = plot.top + line / 2 + Double(i) * line * 1.2
                    legend.append(LegendEntry(series: i, x: x, y: y))
                    labels.append(Label(text: chart.series[i].name, x: x + swatch + gap, y: y, anchor: .start, role: .legend))
                }
            } else {
                for (r, row) in legendRows.enumerated() {
                    var x = left
                    let y = height - gap - legendHeight + (Double(r) + 0.5) * line * 1.2
                    for i in row {
                        legend.append(LegendEntry(series: i, x: x, y: y))
                        labels.append(Label(text: chart.series[i].name, x: x + swatch + gap, y: y, anchor: .start, role: .legend))
                        x += entryWidths[i] + 2 * gap
                    }
                }
            }
            self.line = line
            self.swatch = swatch
            self.xAxis = xAxis
            self.yAxis = yAxis
            self.plot = plot
            self.grid = grid
            self.tickMarks = tickMarks
            self.labels = labels
            self.legend = legend
        }

        /// The band of a run as one polygon: along its upper ends, then back along its lower ends.
        static func outline(of run: [BandChart.Point]) -> [(x: Double, y: Double)] {
            run.map { ($0.x, $0.upper) } + run.reversed().map { ($0.x, $0.lower) }
        }
    }
}

extension Canvas {
    /// Fills between the `lower` and `upper` pixel rows of a run, column by column, interpolating
    /// linearly between its points; rows partly covered are blended in proportion, so edges are
    /// smooth. Each pixel is blended at most once per run, so the band's opacity is uniform.
    fileprivate mutating func fillBand(_ run: [BandChart.Point], color: RGB, alpha: Double) {
        for (k, (a, b)) in zip(run, run.dropFirst()).enumerated() where b.x > a.x {
            // Columns whose centres lie in [a.x, b.x), and b.x itself for the last segment.
            let isLast = k == run.count - 2
            let c0 = max(0, Int(max(-1, a.x - 0.5).rounded(.up)))
            let c1 = min(width - 1, Int(min(Double(width), isLast ? b.x - 0.5 : b.x - 0.5 - 1e-9).rounded(.down)))
            guard c0 <= c1 else { continue }
            for c in c0...c1 {
                let t = (Double(c) + 0.5 - a.x) / (b.x - a.x)
                let y0 = a.upper + (b.upper - a.upper) * t, y1 = a.lower + (b.lower - a.lower) * t
                let top = max(0, min(y0, y1)), bottom = min(Double(height), max(y0, y1))
                guard top < bottom else { continue }
                for r in Int(top.rounded(.down))...min(height - 1, Int(bottom.rounded(.up)) - 1) {
                    let covered = min(bottom, Double(r + 1)) - max(top, Double(r))
                    if covered > 0 { blend(c, r, color, alpha: alpha * covered) }
                }
            }
        }
    }
}
