import GANKitAutodiff
import GANKitData
import GANKitEvaluation
import GANKitNN
import GANKitTensor
import Testing

/// A fixed scoring function as a discriminator.
private final class Scorer: Module, @unchecked Sendable {
    let score: (Float, Float) -> Float
    init(_ score: @escaping (Float, Float) -> Float) { self.score = score }
    override func forward(_ input: Variable) -> Variable {
        let x = input.value
        let n = x.shape[0]
        let values = x.withUnsafeBufferPointer { p in (0..<n).map { score(p[2 * $0], p[2 * $0 + 1]) } }
        return Variable(Tensor(shape: [n, 1], values: values))
    }
}

/// How much empty space a discriminator calls real, on known scoring functions.
struct DiscriminatorReachTests {
    @Test func aDiscriminatorPeakedOnTheModesCallsNoEmptySpaceReal() {
        let ring = GaussianMixture.ring8
        let peaked = Scorer { x, y in
            -Float(ring.means.map { m in (Double(x) - m.x) * (Double(x) - m.x) + (Double(y) - m.y) * (Double(y) - m.y) }.min()!)
        }
        #expect(DiscriminatorReach(mixture: ring).offDataRealFraction(peaked) == 0)
    }

    @Test func aConstantOrOutwardDiscriminatorCallsEmptySpaceReal() {
        let ring = GaussianMixture.ring8
        #expect(DiscriminatorReach(mixture: ring).offDataRealFraction(Scorer { _, _ in 1 }) == 1)
        // Scores growing with the radius: "real" is everything at least as far out as the ring.
        let outward = DiscriminatorReach(mixture: ring).offDataRealFraction(Scorer { x, y in x * x + y * y })
        #expect(outward > 0.3 && outward < 0.9)
    }
}

/// How a discriminator ranks samples against the data, on known scoring functions.
struct DiscriminatorRankingTests {
    let ring = GaussianMixture.ring8
    var reach: DiscriminatorReach { DiscriminatorReach(mixture: ring) }

    @Test func samplesScoredLikeTheDataRankAtOneHalf() {
        // The data themselves, under any score, and anything under a constant score.
        var stream = RandomStream(seed: 7)
        let data = ring.sample(count: 500, using: &stream)
        let radial = Scorer { x, y in x * x + y * y }
        #expect(abs(reach.rankAboveData(radial, samples: data) - 0.5) < 0.05)
        #expect(reach.rankAboveData(Scorer { _, _ in 1 }, samples: data) == 0.5)
    }

    @Test func samplesScoredAboveOrBelowEveryDataPointRankAtOneOrZero() {
        // The ring has radius 2: points at the origin score below all of it under the radius,
        // points at radius 4 above.
        let centre = Tensor(shape: [10, 2], values: Array(repeating: 0, count: 20))
        let outside = Tensor(shape: [10, 2], values: Array(repeating: [4, 0], count: 10).flatMap { $0 })
        let radial = Scorer { x, y in x * x + y * y }
        #expect(reach.rankAboveData(radial, samples: centre) == 0)
        #expect(reach.rankAboveData(radial, samples: outside) == 1)
    }

    @Test func theRankIsTheFractionOfPairsASampleWins() {
        // Scores by x: a sample at x = 0 beats the 3 modes left of the y axis and half the
        // points of the 2 on it, (3 + 1) / 8; at x = 1.5 it beats every mode but the one at
        // x = 2 (the two at x = 1.41 lie 4 σ below it), 7 / 8. The 1,000 data points fall on
        // the modes at random, so the fractions are within about 3 standard errors (0.05).
        let byX = Scorer { x, _ in x }
        let atZero = reach.rankAboveData(byX, samples: Tensor(shape: [1, 2], values: [0, 0]))
        #expect(abs(atZero - 0.5) < 0.05)
        let atOneAndAHalf = reach.rankAboveData(byX, samples: Tensor(shape: [1, 2], values: [1.5, 0]))
        #expect(abs(atOneAndAHalf - 7.0 / 8) < 0.05)
    }
}
