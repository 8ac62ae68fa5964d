import Foundation
import GANKitMetrics
import GANKitTensor
import GANKitTestSupport
import Testing

@Test(arguments: Oracle.cases(kind: "frechet_distance"))
func frechetDistanceMatchesPyTorch(_ c: OracleCase) throws {
    let d = try FrechetDistance.compute(c.input("a"), c.input("b"))
    #expect(isClose(Tensor(Float(d)), c.expected("distance")), "\(c.name): \(d)")
}

@Test func frechetDistanceOfASetWithItselfIsZeroAndOfShiftedSetIsTheShiftSquared() throws {
    var s = RandomStream(seed: 16)
    let a = Tensor.normal([300, 8], using: &s)
    #expect(abs(try FrechetDistance.compute(a, a)) < 1e-8)
    let shifted = a + Tensor(repeating: 0.5, shape: [300, 8])
    #expect(abs(try FrechetDistance.compute(a, shifted) - 8 * 0.25) < 1e-5)
}

@Test func frechetDistanceOfGaussiansWithDiagonalCovariancesHasTheClosedForm() throws {
    // Unbiased covariances of ±1 columns are exact: Σ₁ = diag(v₁), Σ₂ = diag(v₂) ⇒
    // d² = Σ (√v₁ − √v₂)² (with equal means).
    let a = Tensor(shape: [2, 2], values: [-1, -2, 1, 2])   // variances 2, 8
    let b = Tensor(shape: [2, 2], values: [-3, -1, 3, 1])   // variances 18, 2
    let expected = pow(2.0.squareRoot() - 18.0.squareRoot(), 2) + pow(8.0.squareRoot() - 2.0.squareRoot(), 2)
    #expect(abs(try FrechetDistance.compute(a, b) - expected) < 1e-9)
}

@Test func singularCovarianceWithFewerSamplesThanFeaturesIsHandled() throws {
    var s = RandomStream(seed: 17)
    let a = Tensor.normal([5, 20], using: &s), b = Tensor.normal([6, 20], using: &s)
    let d = try FrechetDistance.compute(a, b)
    #expect(d.isFinite && d > 0)
    #expect(throws: MetricError.self) { try FrechetDistance.compute(a, Tensor.zeros([6, 3])) }
    #expect(throws: MetricError.self) { try FrechetDistance.compute(Tensor.zeros([1, 20]), b) }
}
