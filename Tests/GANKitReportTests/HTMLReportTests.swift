import Testing
@testable import GANKitReport

@Test func reportIsSelfContainedAndEscapesText() {
    let chart = LineChart(title: "loss <G>", series: [.init(name: "G", points: [(0, 1), (1, 0.5), (2, .nan)], color: Palette.global)]).svg()
    let html = HTMLReport(title: "run & test", subtitle: "s", sections: [
        .init("Samples", [.images([(source: "samples/a.png", caption: "a")]), .legend([("G0", Palette.global)])]),
        .init("Curves", [.charts([chart]), .table([("k", "v")])]),
    ]).html()
    #expect(html.hasPrefix("<!DOCTYPE html>"))
    #expect(html.contains("run &amp; test"))
    #expect(html.contains("loss &lt;G&gt;"))
    #expect(html.contains("src=\"samples/a.png\""))
    #expect(!html.contains("<script"))
    #expect(!html.contains("src=\"http"))
    #expect(!html.contains("nan"))
}
