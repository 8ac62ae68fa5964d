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
