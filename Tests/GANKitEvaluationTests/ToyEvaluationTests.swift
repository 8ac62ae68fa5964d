import GANKitData
import GANKitEvaluation
import GANKitTensor
import Testing

/// The toy metrics on samples with known answers.
struct ToyEvaluationTests {
    @Test func trueMixtureSamplesScorePerfectly() throws {
        var a = RandomStream(seed: 1), b = RandomStream(seed: 2)
        let mixture = GaussianMixture.ring8
        let result = try ToyEvaluation.evaluate(generated: mixture.sample(count: 2500, using: &a), real: mixture.sample(count: 2500, using: &b),
                                                dataset: .ring8)
        #expect(result.modesCovered == 8 && result.modesTotal == 8)
        #expect(result.highQualityFraction! >= 0.95)
        #expect(result.coverage >= 0.9)
        #expect(abs(result.mmd2) < 0.01)
    }

    @Test func collapsedSamplesCoverOneMode() throws {
        var a = RandomStream(seed: 3), b = RandomStream(seed: 4)
        let oneMode = try GaussianMixture(means: [SIMD2(2, 0)], std: 0.02)
        let result = try ToyEvaluation.evaluate(generated: oneMode.sample(count: 2500, using: &a),
                                                real: GaussianMixture.ring8.sample(count: 2500, using: &b), dataset: .ring8)
        #expect(result.modesCovered == 1)
        #expect(result.coverage < 0.3)
        #expect(result.mmd2 > 0.1)
        #expect(result.basinEntropy == 0)
        #expect(result.meanModeDistance! < 0.05)
        #expect(abs(result.sampleSpread! - 0.02 * 2.0.squareRoot()) < 0.005)
    }

    /// A small cloud at the ring's centre, as a generator starts: far from every mode, spread
    /// evenly over their basins by angle; the same cloud moved toward one mode is in its basin.
    @Test func basinsShowWhereACloudHeadsBeforeItReachesTheData() throws {
        var a = RandomStream(seed: 5), b = RandomStream(seed: 6), c = RandomStream(seed: 7)
        let real = GaussianMixture.ring8.sample(count: 2000, using: &b)
        let centre = try ToyEvaluation.evaluate(generated: GaussianMixture(means: [SIMD2(0, 0)], std: 0.1).sample(count: 2000, using: &a),
                                                real: real, dataset: .ring8)
        let heading = try ToyEvaluation.evaluate(generated: GaussianMixture(means: [SIMD2(1, 0)], std: 0.1).sample(count: 2000, using: &c),
                                                 real: real, dataset: .ring8)
        #expect(centre.modesCovered == 0 && heading.modesCovered == 0)
        #expect(centre.basinEntropy! > 0.97)
        #expect(heading.basinEntropy! < 0.1)
        // A point r from the centre is 2 − r·cos φ from its nearest mode (φ ≤ 22.5°): about 1.88 here.
        #expect(centre.meanModeDistance! > 1.8 && centre.meanModeDistance! < 1.95)
        #expect(abs(heading.meanModeDistance! - 1) < 0.02)
        #expect(abs(centre.sampleSpread! - 0.1 * 2.0.squareRoot()) < 0.01)
    }
}

/// The strict metrics beside the lenient ones.
struct ToyEvaluationStrictMetricsTests {
    @Test func narrowMMDAndKDESeparateNearMissesThatSigmaOneBlurs() throws {
        var a = RandomStream(seed: 11), b = RandomStream(seed: 12), c = RandomStream(seed: 13)
        let ring = GaussianMixture.ring8
        // Every mode hit, but 0.15 off its centre: σ = 1 barely notices, σ = 0.1 does.
        let shifted = try GaussianMixture(means: ring.means.map { $0 * 1.075 }, std: 0.02)
        let real = ring.sample(count: 1000, using: &b)
        let good = try ToyEvaluation.evaluate(generated: ring.sample(count: 1000, using: &a), real: real, dataset: .ring8)
        let off = try ToyEvaluation.evaluate(generated: shifted.sample(count: 1000, using: &c), real: real, dataset: .ring8)
        #expect(off.mmd2 < 0.02)
        #expect(off.mmd2Narrow! > 10 * max(good.mmd2Narrow!, 1e-3))
        #expect(good.kdeLogLikelihood! > off.kdeLogLikelihood! + 1)
        #expect(good.modesCoveredStrict == 8 && good.strictModeThreshold == 10)
        #expect(off.modesCoveredStrict == 0)
    }
}
