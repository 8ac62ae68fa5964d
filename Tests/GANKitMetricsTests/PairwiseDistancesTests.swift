import GANKitData
import GANKitMetrics
import GANKitTensor
import Testing

@Test func tiledDistancesEqualTheDirectOnesAndSelfDistanceIsExactlyZero() throws {
    var s = RandomStream(seed: 8)
    let x = Tensor.normal([700, 3], mean: 10, using: &s), y = Tensor.normal([520, 3], using: &s)
    let d = try PairwiseDistances(x, y).matrix()
    #expect(d.shape == [700, 520])
    let a = x.scalars, b = y.scalars, got = d.scalars
    for (i, j) in [(0, 0), (511, 513), (699, 519), (512, 0), (300, 517)] {
        var e: Float = 0
        for k in 0..<3 { let v = a[i * 3 + k] - b[j * 3 + k]; e += v * v }
        #expect(abs(got[i * 520 + j] - e) <= 1e-4 * e + 1e-4)
    }
    let within = try PairwiseDistances(within: x).matrix().scalars
    for i in stride(from: 0, to: 700, by: 37) { #expect(within[i * 700 + i] == 0) }
    #expect(within.allSatisfy { $0 >= 0 })
}

@Test func distancesRejectMismatchedColumns() {
    #expect(throws: MetricError.self) { try PairwiseDistances(Tensor.zeros([2, 2]), Tensor.zeros([2, 3])) }
    #expect(throws: MetricError.self) { try PairwiseDistances(within: Tensor.zeros([4])) }
}
