import Foundation
import GANKitData
import GANKitMetrics
import GANKitTensor
import Testing

@Test func kdeLogDensityMatchesTheDefinitionAndStaysFiniteFarAway() throws {
    var s = RandomStream(seed: 2)
    let samples = Tensor.normal([700, 2], using: &s)
    let points = Tensor(shape: [3, 2], values: [0, 0, 1, -1, 80, 80])
    let h = 0.3
    let got = try GaussianKDE(samples: samples, bandwidth: h).logDensities(points)
    let p = samples.scalars
    for (i, (px, py)) in [(0.0, 0.0), (1.0, -1.0)].enumerated() {
        var sum = 0.0
        for j in 0..<700 {
            let dx = px - Double(p[2 * j]), dy = py - Double(p[2 * j + 1])
            sum += exp(-(dx * dx + dy * dy) / (2 * h * h)) / (2 * Double.pi * h * h)
        }
        #expect(abs(got[i] - log(sum / 700)) < 1e-4)
    }
    #expect(got[2].isFinite && got[2] < -10_000)
}

@Test func scottBandwidthFollowsTheFormula() throws {
    // Two points per dimension at ±1: variance 2 (unbiased) in each, n = 2, d = 2.
    let x = Tensor(shape: [2, 2], values: [-1, -1, 1, 1])
    #expect(abs(try GaussianKDE.scottBandwidth(x) - 2.0.squareRoot() * pow(2, -1.0 / 6)) < 1e-12)
}

@Test func crossValidationPicksABandwidthNearTheModeScaleOnARing() throws {
    var s = RandomStream(seed: 5)
    let x = GaussianMixture.ring8.sample(count: 500, using: &s)
    let (h, scores) = try GaussianKDE.crossValidatedBandwidth(x)
    #expect(scores.count == GaussianKDE.defaultBandwidthGrid.count)
    // The modes have std 0.02; the best KDE bandwidth is of that order, far below the ring's size.
    #expect(h > 0.003 && h < 0.1)
}

@Test func kdeRejectsBadOptions() {
    #expect(throws: MetricError.self) { try GaussianKDE(samples: Tensor.zeros([3, 2]), bandwidth: 0) }
    #expect(throws: MetricError.self) { try GaussianKDE.crossValidatedBandwidth(Tensor.zeros([3, 2]), folds: 5) }
    #expect(throws: MetricError.self) { try GaussianKDE.scottBandwidth(Tensor.zeros([3, 2])) }
}
