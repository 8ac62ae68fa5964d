import Foundation
import Testing
@testable import GANKitReport

private func count(_ needle: String, in haystack: String) -> Int { haystack.components(separatedBy: needle).count - 1 }

private let blue = Palette.localGenerator(1), orange = Palette.localGenerator(2)

/// Two variants over 0…730 iterations, the second with a wider band.
private func twoVariants(logY: Bool = false) -> BandChart {
    let xs = stride(from: 0.0, through: 730, by: 73).map { $0 }
    let a = xs.map { BandChart.Point(x: $0, y: 0.2 + $0 / 1000, lower: 0.15 + $0 / 1000, upper: 0.25 + $0 / 1000) }
    let b = xs.map { BandChart.Point(x: $0, y: 0.8 - $0 / 2000, lower: 0.6 - $0 / 2000, upper: 0.9 - $0 / 2000) }
    return BandChart(title: "Mode coverage", xLabel: "iteration", yLabel: "modes", series: [
        .init(name: "SGAN <N=4>", color: blue, points: a), .init(name: "WGAN-GP", color: orange, points: b),
    ], logY: logY)
}

// MARK: SVG

@Test func theSVGHasABandAndALinePerSeriesAndALegendNamingThem() {
    let svg = twoVariants().svg(width: 640, height: 400)
    #expect(svg.hasPrefix("<?xml") && svg.contains("xmlns=\"http://www.w3.org/2000/svg\"") && svg.hasSuffix("</svg>\n"))
    #expect(count("<polygon class=\"band\"", in: svg) == 2)
    #expect(count("<polyline", in: svg) == 2)
    #expect(svg.contains("fill=\"\(blue.hex)\" fill-opacity=\"0.2\""))
    #expect(svg.contains(">SGAN &lt;N=4&gt;</text>") && svg.contains(">WGAN-GP</text>"))  // legend, escaped
    #expect(svg.contains(">Mode coverage</text>") && svg.contains(">iteration</text>") && svg.contains(">modes</text>"))
    #expect(svg.contains(">600</text>") && svg.contains(">0.4</text>"))  // tick labels of both axes
    #expect(!svg.contains("nan") && !svg.contains("inf"))
    #expect(svg.hasSuffix(twoVariants().svgElement(width: 640, height: 400)))  // the same chart inline, less the XML declaration
    #expect(twoVariants().svgElement().hasPrefix("<svg "))
}

@Test func nonFinitePointsAreLeftOutAsAGap() {
    let points = [0.0, 1, 2, 3, 4].map { BandChart.Point(x: $0, y: $0, lower: $0 - 0.5, upper: $0 + 0.5) }
    var gapped = points
    gapped[2].y = .nan
    let chart = BandChart(title: "t", xLabel: "x", yLabel: "y", series: [.init(name: "a", color: blue, points: gapped)])
    #expect(chart.runs(of: chart.series[0]).map { $0.map(\.x) } == [[0, 1], [3, 4]])
    let svg = chart.svg()
    #expect(count("<polyline", in: svg) == 2 && count("<polygon", in: svg) == 2)
    #expect(!svg.lowercased().contains("nan"))
    // A non-finite band end is no band at that point.
    var unbounded = points
    unbounded[1].upper = .infinity
    let unboundedChart = BandChart(title: "", xLabel: "", yLabel: "", series: [.init(name: "a", color: blue, points: unbounded)])
    #expect(unboundedChart.runs(of: unboundedChart.series[0])[0][1].upper == 1)
}

@Test func aLogarithmicChartLeavesOutNonPositiveMeans() {
    let points = [BandChart.Point(x: 0, y: 0.1, lower: -0.2, upper: 0.4), BandChart.Point(x: 1, y: 0, lower: 0, upper: 0),
                  BandChart.Point(x: 2, y: -1), BandChart.Point(x: 3, y: 0.01, lower: 0.005, upper: 0.02), BandChart.Point(x: 4, y: 0.001)]
    let chart = BandChart(title: "MMD²", xLabel: "iteration", yLabel: "MMD²", series: [.init(name: "a", color: blue, points: points)], logY: true)
    #expect(chart.runs(of: chart.series[0]).map { $0.map(\.x) } == [[0], [3, 4]])
    let layout = chart.vectorLayout(width: 400, height: 300)
    #expect(layout.yAxis.lower <= 0.001 && layout.yAxis.upper >= 0.4)
    // The band's non-positive lower end runs to the foot of the plot.
    #expect(layout.runs[0][0][0].lower == layout.plot.top + layout.plot.height)
    let svg = chart.svg()
    #expect(count("<polyline", in: svg) == 1 && !svg.lowercased().contains("nan"))
}

@Test func constantEmptyAndAllNaNDataStillGiveAChart() throws {
    let cases: [[BandChart.Series]] = [
        [],
        [.init(name: "empty", color: blue, points: [])],
        [.init(name: "missing", color: blue, points: [BandChart.Point(x: .nan, y: .nan), BandChart.Point(x: 1, y: .nan)])],
        [.init(name: "constant", color: blue, points: [0, 1, 2].map { BandChart.Point(x: $0, y: 0.5) })],
        [.init(name: "one point", color: blue, points: [BandChart.Point(x: 3, y: 2, lower: 1, upper: 3)])],
    ]
    for series in cases {
        for logY in [false, true] {
            let chart = BandChart(title: "t", xLabel: "x", yLabel: "y", series: series, logY: logY, markers: true)
            let svg = chart.svg(width: 300, height: 200)
            #expect(svg.hasSuffix("</svg>\n") && !svg.lowercased().contains("nan"))
            #expect(try chart.render(width: 300, height: 200).png().starts(with: [0x89, 0x50, 0x4E, 0x47]))
        }
    }
    // Even a canvas too small for the text.
    _ = twoVariants().render(width: 20, height: 10)
    _ = twoVariants().svg(width: 1, height: 1)
}

// MARK: PNG

@Test func aBandPixelIsATintOfItsSeriesAndTheMarginIsWhite() {
    let xs = stride(from: 0.0, through: 10, by: 1).map { $0 }
    let chart = BandChart(title: "t", xLabel: "x", yLabel: "y",
                          series: [.init(name: "a", color: blue, points: xs.map { BandChart.Point(x: $0, y: 0.5, lower: 0.2, upper: 0.8) })])
    let canvas = chart.render(width: 640, height: 400)
    let (layout, _) = chart.rasterLayout(width: 640, height: 400)
    let p = layout.plot
    // Between the line (y = 0.5) and the band's upper edge, away from grid lines.
    let x = Int(p.left + p.width * 0.33), y = Int(layout.runs[0][0][3].upper + (layout.runs[0][0][3].y - layout.runs[0][0][3].upper) * 0.4)
    let tint = RGB.white.mixed(with: blue, BandChart.bandOpacity), pixel = canvas.pixel(x, y)
    #expect(abs(Int(pixel.r) - Int(tint.r)) <= 2 && abs(Int(pixel.g) - Int(tint.g)) <= 2 && abs(Int(pixel.b) - Int(tint.b)) <= 2)
    #expect(canvas.pixel(Int(layout.runs[0][0][3].x), Int(layout.runs[0][0][3].y)) == blue)  // on the line
    #expect(canvas.pixel(1, 398) == .white && canvas.pixel(638, 1) == .white)
}

@Test func theRasterAndSVGLayOutTheSameAxes() {
    let chart = twoVariants()
    let svgLayout = chart.vectorLayout(width: 640, height: 400), pngLayout = chart.rasterLayout(width: 640, height: 400).0
    #expect(svgLayout.xAxis == pngLayout.xAxis && svgLayout.yAxis == pngLayout.yAxis)
    #expect(svgLayout.labels.filter { $0.role == .tick }.map(\.text) == pngLayout.labels.filter { $0.role == .tick }.map(\.text))
}

// MARK: sample

/// Writes a sample PNG and SVG for a person to look at, when `GANKIT_CHART_SAMPLE` names a path
/// prefix (e.g. `/tmp/bandchart-sample`).
@Test func writesASampleWhenAsked() throws {
    guard let prefix = ProcessInfo.processInfo.environment["GANKIT_CHART_SAMPLE"] else { return }
    let xs = stride(from: 0.0, through: 20000, by: 500).map { $0 }
    func curve(_ name: String, _ color: RGB, start: Double, end: Double, spread: Double) -> BandChart.Series {
        .init(name: name, color: color, points: xs.map { x in
            let y = end + (start - end) * exp(-x / 4000) + 0.01 * sin(x / 900)
            let h = spread * (0.4 + 0.6 * exp(-x / 8000))
            return BandChart.Point(x: x, y: y, lower: y - h, upper: y + h)
        })
    }
    var series = [curve("WGAN-GP", Palette.localGenerator(1), start: 0.9, end: 0.35, spread: 0.08),
                  curve("SGAN N=4", Palette.global, start: 0.9, end: 0.12, spread: 0.05),
                  curve("SGAN N=8 ±β", Palette.localGenerator(3), start: 0.95, end: 0.08, spread: 0.12)]
    series[2].points[10].y = .nan
    let chart = BandChart(title: "MMD² to the data (mean over 5 seeds, 95% CI)", xLabel: "iteration", yLabel: "MMD²", series: series)
    try chart.render(width: 640, height: 400).png().write(to: URL(fileURLWithPath: prefix + ".png"))
    try chart.svg(width: 640, height: 400).write(toFile: prefix + ".svg", atomically: true, encoding: .utf8)
    var log = chart
    log.logY = true
    log.title = "MMD² (log scale)"
    try log.render(width: 800, height: 500).png().write(to: URL(fileURLWithPath: prefix + "-log.png"))
    let ns = [1.0, 2, 4, 8, 16]
    let byN = BandChart(title: "Modes covered against the number of pairs", xLabel: "pairs N", yLabel: "modes covered",
                        series: [.init(name: "SGAN", color: Palette.global, points: ns.map { BandChart.Point(x: $0, y: 6 + log2($0) * 1.2, lower: 5 + log2($0), upper: 7 + log2($0) * 1.4) }),
                                 .init(name: "independent pairs with a long name that wraps", color: Palette.localGenerator(1),
                                       points: ns.map { BandChart.Point(x: $0, y: 5 + log2($0) * 0.3, lower: 4.2 + log2($0) * 0.3, upper: 5.8 + log2($0) * 0.3) })],
                        markers: true)
    try byN.render(width: 1280, height: 800).png().write(to: URL(fileURLWithPath: prefix + "-n.png"))
    try byN.svg(width: 640, height: 400).write(toFile: prefix + "-n.svg", atomically: true, encoding: .utf8)
}
