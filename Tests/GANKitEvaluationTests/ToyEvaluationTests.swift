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
