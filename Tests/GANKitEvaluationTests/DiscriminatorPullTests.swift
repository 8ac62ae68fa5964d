import GANKitAutodiff
import GANKitData
import GANKitEvaluation
import GANKitNN
import GANKitTensor
import Testing

/// D(x) = −‖x − c‖², which pulls every point straight towards c (opening down), or its
/// negative, which pushes every point straight away from c (opening up).
private final class Bowl: Module, @unchecked Sendable {
    enum Opening { case up, down }
    let centre: Tensor
    let opening: Opening
    init(_ x: Float, _ y: Float, opening: Opening = .down) {
        centre = Tensor(shape: [1, 2], values: [x, y])
        self.opening = opening
    }
    override func forward(_ input: Variable) -> Variable {
        let squared = (input - Variable(centre)).square().sum(axes: [1], keepingDimensions: true)
        return opening == .down ? -squared : squared
    }
}

/// D(x) = a·x, which pulls every point the same way, a.
private final class Slope: Module, @unchecked Sendable {
    let direction: Tensor
    init(_ x: Float, _ y: Float) { direction = Tensor(shape: [1, 2], values: [x, y]) }
    override func forward(_ input: Variable) -> Variable {
        (input * Variable(direction)).sum(axes: [1], keepingDimensions: true)
    }
}

/// Where discriminators pull samples, on known scoring functions.
struct DiscriminatorPullTests {
    let ring = GaussianMixture.ring8
    /// Points around the ring's mode at (2, 0), none on its centre.
    let nearTheFirstMode = Tensor(shape: [4, 2], values: [2.1, 0, 1.9, 0, 2, 0.1, 2, -0.1])

    @Test func aDiscriminatorPeakedOnTheSamplesModePullsIntoIt() {
        let summary = DiscriminatorPull(mixture: ring).summarize([Bowl(2, 0)], samples: nearTheFirstMode)
        #expect(abs(summary.towardNearestMode - 1) < 1e-6)
        #expect(summary.agreement == nil)
    }

    @Test func aDiscriminatorLowestOnTheModePullsOutOfIt() {
        let summary = DiscriminatorPull(mixture: ring).summarize([Bowl(2, 0, opening: .up)], samples: nearTheFirstMode)
        #expect(abs(summary.towardNearestMode + 1) < 1e-6)
    }

    @Test func aDiscriminatorPeakedOnAnotherModeIsMeasuredAgainstTheSamplesOwnMode() {
        // A bowl on the opposite mode, (−2, 0), pulls along −x: inward (+1) from (2.1, 0),
        // outward (−1) from (1.9, 0), and across (cosine 0.025) from (2, ±0.1).
        let summary = DiscriminatorPull(mixture: ring).summarize([Bowl(-2, 0)], samples: nearTheFirstMode)
        let across = 0.1 / (4.0 * 4.0 + 0.1 * 0.1).squareRoot()
        #expect(abs(summary.towardNearestMode - (1 - 1 + 2 * across) / 4) < 1e-5)
    }

    @Test func agreementIsTheCosineBetweenTheDiscriminatorsPulls() {
        let pull = DiscriminatorPull(mixture: ring)
        #expect(abs(pull.summarize([Slope(1, 0), Slope(3, 0)], samples: nearTheFirstMode).agreement! - 1) < 1e-9)
        #expect(abs(pull.summarize([Slope(1, 0), Slope(0, 2)], samples: nearTheFirstMode).agreement!) < 1e-9)
        #expect(abs(pull.summarize([Slope(1, 0), Slope(-1, 0)], samples: nearTheFirstMode).agreement! + 1) < 1e-9)
        // Three critics: pairs (1,2) agree, (1,3) and (2,3) are orthogonal: (1 + 0 + 0) / 3.
        let three = pull.summarize([Slope(1, 0), Slope(2, 0), Slope(0, 1)], samples: nearTheFirstMode)
        #expect(abs(three.agreement! - 1.0 / 3) < 1e-9)
    }

    @Test func alignmentComparesEachDiscriminatorWithItsCounterpart() {
        let pull = DiscriminatorPull(mixture: ring)
        func alignment(_ first: [Module], _ second: [Module], samples: Tensor) -> Double? {
            DiscriminatorPull.alignment(pull.pulls(of: first, on: samples), pull.pulls(of: second, on: samples))
        }
        // Pairs (x, 2x) and (y, −y): cosines 1 and −1, mean 0; against themselves, 1.
        let first: [Module] = [Slope(1, 0), Slope(0, 1)], second: [Module] = [Slope(2, 0), Slope(0, -1)]
        #expect(abs(alignment(first, second, samples: nearTheFirstMode)! - 0) < 1e-9)
        #expect(abs(alignment(first, first, samples: nearTheFirstMode)! - 1) < 1e-9)
        // A bowl at the mode against a slope along −x: cosines 1, −1, ≈0, ≈0 over the four points.
        let bowl = alignment([Bowl(2, 0)], [Slope(-1, 0)], samples: nearTheFirstMode)!
        #expect(abs(bowl) < 1e-6)
        #expect(alignment([Slope(0, 0)], [Slope(1, 0)], samples: nearTheFirstMode) == nil)
    }

    @Test func outwardTellsSpreadingFromGatheringFromMoving() {
        // The four points' mean is (2, 0): a bowl there gathers them, the upturned bowl spreads
        // them, a slope moves them all one way (cosines +1, −1, 0, 0: mean 0).
        let pull = DiscriminatorPull(mixture: ring)
        #expect(abs(pull.summarize([Bowl(2, 0)], samples: nearTheFirstMode).outwardFromCentroid! + 1) < 1e-6)
        #expect(abs(pull.summarize([Bowl(2, 0, opening: .up)], samples: nearTheFirstMode).outwardFromCentroid! - 1) < 1e-6)
        #expect(abs(pull.summarize([Slope(1, 0)], samples: nearTheFirstMode).outwardFromCentroid!) < 1e-6)
        // Averaged over discriminators and samples: (−1 + 1) / 2.
        #expect(abs(pull.summarize([Bowl(2, 0), Bowl(2, 0, opening: .up)], samples: nearTheFirstMode).outwardFromCentroid!) < 1e-6)
        #expect(pull.summarize([Bowl(0, 0)], samples: Tensor(shape: [2, 2], values: [1, 1, 1, 1])).outwardFromCentroid == nil)
    }

    @Test func aFlatDiscriminatorPullsNowhere() {
        // A zero slope has no direction: it counts in neither measure.
        let summary = DiscriminatorPull(mixture: ring).summarize([Slope(0, 0), Bowl(2, 0)], samples: nearTheFirstMode)
        #expect(summary.agreement == nil)
        #expect(abs(summary.towardNearestMode - 1) < 1e-6)
    }
}
