import Foundation
import GANKitData
import GANKitMetrics
import GANKitTensor
import Testing

@Test(arguments: [("ring8", GaussianMixture.ring8), ("grid25", GaussianMixture.grid25)])
func samplesOfTheTrueMixtureCoverAllModesWithHighQuality(name: String, mixture: GaussianMixture) throws {
    var s = RandomStream(seed: 12).derived(name)
    let r = try ModeCoverage(samples: mixture.sample(count: 2500, using: &s), mixture: mixture)
    #expect(r.modesCovered == mixture.modeCount)
    #expect(r.highQualityFraction >= 0.95)
    #expect(try #require(r.klToUniform) < 0.05)
    #expect(r.threshold == 1)
}

@Test func samplesFromOneModeCoverExactlyOne() throws {
    var s = RandomStream(seed: 13)
    let m = GaussianMixture.grid25
    let one = try GaussianMixture(means: [m.means[7]], std: 0.05).sample(count: 2500, using: &s)
    let r = try ModeCoverage(samples: one, mixture: m)
    #expect(r.modesCovered == 1)
    #expect(r.highQualityCounts[7] == r.highQualityCounts.reduce(0, +))
    #expect(abs(try #require(r.klToUniform) - log(25)) < 1e-12)
}

@Test func farAwaySamplesAreNotHighQualityAndThresholdIsApplied() throws {
    let m = GaussianMixture.ring8
    let far = Tensor(shape: [2, 2], values: [0, 0, 10, 10])
    let r = try ModeCoverage(samples: far, mixture: m)
    #expect(r.highQualityFraction == 0 && r.modesCovered == 0 && r.klToUniform == nil)
    // Two samples exactly on mode 0, one on mode 1: with threshold 2 only mode 0 counts.
    let x = Tensor(shape: [3, 2], values: [2, 0, 2, 0, Float(m.means[1].x), Float(m.means[1].y)])
    #expect(try ModeCoverage(samples: x, mixture: m, threshold: 2).modesCovered == 1)
    #expect(throws: MetricError.self) { try ModeCoverage(samples: x, mixture: m, threshold: 0) }
}

@Test func basinsCountEverySampleByItsNearestModeAtAnyDistance() throws {
    let m = GaussianMixture.ring8
    // Mode 0 is (2, 0): a point at (3, 0) is 1 away and far outside "high quality"; (0.5, 0) is
    // 1.5 away and still in mode 0's basin; (0, 2.5) is 0.5 from mode 2, (0, 2).
    let x = Tensor(shape: [3, 2], values: [3, 0, 0.5, 0, 0, 2.5])
    let r = try ModeCoverage(samples: x, mixture: m)
    #expect(r.highQualityCounts.allSatisfy { $0 == 0 })
    #expect(r.basinCounts == [2, 0, 1, 0, 0, 0, 0, 0])
    #expect(abs(try #require(r.meanDistanceToNearestMode) - 1.0) < 1e-6)
    // Entropy of (2/3, 1/3) over log 8.
    let expected = -(2.0 / 3 * log(2.0 / 3) + 1.0 / 3 * log(1.0 / 3)) / log(8.0)
    #expect(abs(try #require(r.basinEntropy) - expected) < 1e-12)
    // One basin: 0; every basin equally: 1; a coverage rebuilt from counts has no basins.
    #expect(try ModeCoverage(samples: Tensor(shape: [2, 2], values: [3, 0, 2, 0.1]), mixture: m).basinEntropy == 0)
    let all = Tensor(shape: [8, 2], values: m.means.flatMap { [Float($0.x * 5), Float($0.y * 5)] })
    #expect(abs(try #require(try ModeCoverage(samples: all, mixture: m).basinEntropy) - 1) < 1e-12)
    #expect(try ModeCoverage(counts: [1, 2], threshold: 1).basinEntropy == nil)
    #expect(try r.withThreshold(2).basinCounts == r.basinCounts)
}
