import Testing
@testable import GANKitReport

@Test func pointsAreDrawnWhereTheyLieAndTheBackgroundShowsDsLevels() throws {
    let bounds = ScatterPlot.Bounds(minX: -1, maxX: 1, minY: -1, maxY: 1)
    // D says "real" (1) on the left half, "fake" (0) on the right.
    let field: [Float] = (0..<16).map { $0 % 4 < 2 ? 1 : 0 }
    let plot = ScatterPlot(bounds: bounds, series: [.init(points: [SIMD2(0.5, 0.5)], color: Palette.global, radius: 4, alpha: 1)],
                           discriminator: field, resolution: 4)
    let canvas = plot.render(size: 100)
    #expect(canvas.pixel(75, 25) == Palette.global)
    #expect(canvas.pixel(5, 50).r > canvas.pixel(95, 50).r)  // orange left, blue right
    #expect(try canvas.png().starts(with: [0x89, 0x50, 0x4E, 0x47]))
}

@Test func boundsEncloseEveryPointWithAMargin() {
    let b = ScatterPlot.Bounds.enclosing([SIMD2(-2, 0), SIMD2(2, 1)])
    #expect(b.minX < -2 && b.maxX > 2 && b.minY < -2 && b.maxY > 2)
}
