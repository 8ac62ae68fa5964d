import GANKitMetrics
import Testing

@Suite struct NGramDivergenceTests {
    @Test func identicalDistributionsAreZeroAndDisjointOnesOneBit() throws {
        #expect(try NGramDivergence.jensenShannon(generated: [1, 2, 3, 1, 2, 3], real: [1, 2, 3], sequenceLength: 3, n: 2) == 0)
        #expect(abs(try NGramDivergence.jensenShannon(generated: [1, 1, 1], real: [2, 2, 2], sequenceLength: 3, n: 1) - 1) < 1e-12)
    }

    /// P = {a: 1}, Q = {a: ½, b: ½}: JS = ½·log₂(4/3) + ½·(½·log₂(2/3) + ½·log₂ 2) = 0.311278 bits.
    @Test func aHandComputedValue() throws {
        let js = try NGramDivergence.jensenShannon([[1]: 4], [[1]: 2, [2]: 2])
        #expect(abs(js - 0.311278) < 1e-6)
    }

    @Test func nGramsDoNotCrossSentences() {
        let counts = NGramDivergence.counts([1, 2, 3, 4], sequenceLength: 2, n: 2)
        #expect(counts == [[1, 2]: 1, [3, 4]: 1])
        #expect(NGramDivergence.counts([1, 2], sequenceLength: 2, n: 3).isEmpty)
    }
}
