import GANKitData
import GANKitMetrics
import GANKitTensor
import Testing

/// What an ensemble covers together, and the strict (1%) mode threshold.
struct EnsembleCoverageTests {
    @Test func aModeIsCoveredWhenAnyMemberCoversIt() throws {
        let a = try ModeCoverage(counts: [30, 0, 0, 0], threshold: 10)
        let b = try ModeCoverage(counts: [0, 12, 9, 0], threshold: 10)
        let c = try ModeCoverage(counts: [5, 0, 0, 40], threshold: 10)
        let ensemble = try EnsembleCoverage(members: [a, b, c])
        #expect(ensemble.modesCovered == 3)  // mode 2 has 9 < 10 in its best member
        #expect(ensemble.uncoveredBySize == [0.75, 0.5, 0.25])
        #expect(ensemble.uncoveredFraction == 0.25)
    }

    @Test func membersOfDifferentThresholdsAreRefused() throws {
        #expect(throws: MetricError.self) {
            try EnsembleCoverage(members: [ModeCoverage(counts: [1, 2], threshold: 1), ModeCoverage(counts: [1, 2], threshold: 2)])
        }
        #expect(throws: MetricError.self) { try EnsembleCoverage(members: []) }
    }

    @Test func strictThresholdIsOnePercentRoundedUp() throws {
        #expect(ModeCoverage.strictThreshold(samples: 2500) == 25)
        #expect(ModeCoverage.strictThreshold(samples: 1001) == 11)
        #expect(ModeCoverage.strictThreshold(samples: 50) == 1)
        // 2,500 samples of which 5 sit on a second mode: covered leniently, not strictly.
        var stream = RandomStream(seed: 7)
        let main = try GaussianMixture(means: [SIMD2(2, 0)], std: 0.02).sample(count: 2495, using: &stream)
        let stray = try GaussianMixture(means: [SIMD2(-2, 0)], std: 0.02).sample(count: 5, using: &stream)
        let coverage = try ModeCoverage(samples: Tensor.concatenate([main, stray]), mixture: .ring8)
        #expect(coverage.modesCovered == 2)
        #expect(try coverage.withThreshold(ModeCoverage.strictThreshold(samples: 2500)).modesCovered == 1)
    }
}
