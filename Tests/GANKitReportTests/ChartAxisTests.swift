import Testing
@testable import GANKitReport

@Test(arguments: [
    (0.0, 1.0, [0, 0.2, 0.4, 0.6, 0.8, 1.0]),
    (0.0, 730.0, [0, 200, 400, 600, 800]),
    (-3.0, 7.0, [-4, -2, 0, 2, 4, 6, 8]),
    (0.013, 0.048, [0.01, 0.02, 0.03, 0.04, 0.05]),
])
func niceTicksAreOneTwoFiveStepsEnclosingTheData(lo: Double, hi: Double, expected: [Double]) {
    let axis = ChartAxis(values: [lo, hi], nice: true)
    #expect(axis.ticks.count == expected.count)
    for (t, e) in zip(axis.ticks, expected) { #expect(abs(t - e) < 1e-12) }
    #expect(axis.lower == axis.ticks.first && axis.upper == axis.ticks.last)
}

@Test func anXAxisKeepsTheDataRangeAndTicksInsideIt() {
    let axis = ChartAxis(values: [0, 730], nice: false)
    #expect(axis.lower == 0 && axis.upper == 730)
    #expect(axis.ticks == [0, 200, 400, 600])
}

@Test func tickLabelsHaveTheDecimalsTheirStepNeeds() {
    let unit = ChartAxis(values: [0, 1], nice: true)
    #expect(unit.ticks.map(unit.label) == ["0", "0.2", "0.4", "0.6", "0.8", "1.0"])
    let small = ChartAxis(values: [0.013, 0.048], nice: true)
    #expect(small.ticks.map(small.label) == ["0.01", "0.02", "0.03", "0.04", "0.05"])
    let iterations = ChartAxis(values: [0, 730], nice: false)
    #expect(iterations.ticks.map(iterations.label) == ["0", "200", "400", "600"])
    let large = ChartAxis(values: [0, 3e6], nice: true)
    #expect(large.ticks.map(large.label) == ["0", "1e6", "2e6", "3e6"])
}

@Test func aLogarithmicAxisTicksOneTwoFiveOverFewDecadesAndDecadesOverMany() {
    let few = ChartAxis(values: [0.03, 0.4], logarithmic: true, nice: true)
    #expect(few.ticks.map(few.label) == ["0.02", "0.05", "0.1", "0.2", "0.5"])
    let many = ChartAxis(values: [1e-6, 0.5], logarithmic: true, nice: true)
    #expect(many.ticks.map(many.label) == ["1e-6", "1e-5", "1e-4", "0.001", "0.01", "0.1"])
    #expect(many.upper == 0.5)  // widened to a 1-2-5 value, not to the next decade
    #expect(many.fraction(many.lower) == 0 && abs(many.fraction(many.upper) - 1) < 1e-12)
}

@Test func constantAndEmptyDataGetARangeOfNonZeroLength() {
    for axis in [ChartAxis(values: [], nice: true), ChartAxis(values: [.nan, .infinity], nice: true),
                 ChartAxis(values: [0.5, 0.5], nice: true), ChartAxis(values: [0, 0], nice: true),
                 ChartAxis(values: [3, 3], logarithmic: true, nice: true), ChartAxis(values: [-1, 0], logarithmic: true, nice: true)] {
        #expect(axis.upper > axis.lower)
        #expect(axis.ticks.count >= 2)
        #expect(axis.ticks.allSatisfy { axis.fraction($0).isFinite })
    }
}
