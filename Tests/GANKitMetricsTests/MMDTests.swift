import Foundation
import GANKitData
import GANKitMetrics
import GANKitTensor
import GANKitTestSupport
import Testing

@Test(arguments: Oracle.cases(kind: "mmd"))
func mmdMatchesPyTorch(_ c: OracleCase) throws {
    let sigma = try #require(c.config["sigma"]?.double)
    let r = try MMD.squared(c.input("x"), c.input("y"), bandwidths: [sigma])
    #expect(isClose(Tensor(Float(r.biased)), c.expected("mmd2_biased")), "\(c.name) biased \(r.biased)")
    #expect(isClose(Tensor(Float(r.unbiased)), c.expected("mmd2_unbiased")), "\(c.name) unbiased \(r.unbiased)")
}

/// Kernel sums computed directly from the definition, in double precision.
private func naiveMMD(_ x: Tensor, _ y: Tensor, _ sigmas: [Double]) -> (Double, Double) {
    let a = x.scalars.map(Double.init), b = y.scalars.map(Double.init)
    let n = x.shape[0], m = y.shape[0], d = x.shape[1]
    func k(_ p: [Double], _ i: Int, _ q: [Double], _ j: Int) -> Double {
        var s = 0.0
        for t in 0..<d { let v = p[i * d + t] - q[j * d + t]; s += v * v }
        return sigmas.reduce(0) { $0 + exp(-s / (2 * $1 * $1)) }
    }
    var xx = 0.0, yy = 0.0, xy = 0.0, xxOff = 0.0, yyOff = 0.0
    for i in 0..<n { for j in 0..<n { let v = k(a, i, a, j); xx += v; if i != j { xxOff += v } } }
    for i in 0..<m { for j in 0..<m { let v = k(b, i, b, j); yy += v; if i != j { yyOff += v } } }
    for i in 0..<n { for j in 0..<m { xy += k(a, i, b, j) } }
    let (dn, dm) = (Double(n), Double(m))
    return (xx / (dn * dn) + yy / (dm * dm) - 2 * xy / (dn * dm),
            xxOff / (dn * (dn - 1)) + yyOff / (dm * (dm - 1)) - 2 * xy / (dn * dm))
}

@Test func tiledMMDWithSeveralBandwidthsMatchesTheDefinitionAcrossTileBoundaries() throws {
    var s = RandomStream(seed: 21)
    // 600 and 530 rows: more than one 512-row tile in each set, uneven last tiles.
    let x = GaussianMixture.ring8.sample(count: 600, using: &s)
    let y = Tensor.normal([530, 2], std: 1.5, using: &s)
    let r = try MMD.squared(x, y, bandwidths: [0.2, 1, 5])
    let (biased, unbiased) = naiveMMD(x, y, [0.2, 1, 5])
    #expect(abs(r.biased - biased) < 1e-5 * max(1, abs(biased)))
    #expect(abs(r.unbiased - unbiased) < 1e-5 * max(1, abs(unbiased)))
    #expect(r.bandwidths == [0.2, 1, 5])
}

@Test func mmdOfASetWithItselfIsZeroAndOfTwoSamplesOfOneDistributionNearZero() throws {
    var s = RandomStream(seed: 4)
    let x = GaussianMixture.grid25.sample(count: 1000, using: &s)
    let same = try MMD.squared(x, x, bandwidths: [0.5])
    #expect(abs(same.biased) < 1e-6)
    let other = GaussianMixture.grid25.sample(count: 1000, using: &s)
    #expect(abs(try MMD.squared(x, other, bandwidth: 0.5)) < 2e-3)
    let collapsed = GaussianMixture.ring8.sample(count: 1000, using: &s)
    #expect(try MMD.squared(x, collapsed, bandwidth: 0.5) > 0.05)
}

@Test func mmdRejectsBadInputs() {
    let x = Tensor.zeros([4, 2])
    #expect(throws: MetricError.self) { try MMD.squared(x, Tensor.zeros([4, 3]), bandwidths: [1]) }
    #expect(throws: MetricError.self) { try MMD.squared(x, x, bandwidths: []) }
    #expect(throws: MetricError.self) { try MMD.squared(x, x, bandwidths: [-1]) }
    #expect(throws: MetricError.self) { try MMD.squared(Tensor.zeros([1, 2]), x, bandwidths: [1]) }
    #expect(throws: MetricError.self) { try MMD.squared(Tensor(shape: [2, 1], values: [.nan, 0]), Tensor.zeros([2, 1]), bandwidths: [1]) }
}
