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
