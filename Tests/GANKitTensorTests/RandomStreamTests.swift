import CVectorKernels
import Foundation
import Testing
@testable import GANKitTensor

/// Every noise vector, real toy batch and initial weight comes from `RandomStream`: its normal
/// sampler must follow its scalar definition (so that seeds keep meaning what they meant), and
/// streams must stay independent and restorable.
struct RandomStreamTests {
    /// The vector Box–Muller kernel reimplements log, cos and sin within an ulp of a double, so the
    /// floats it rounds to are libm's except where the two doubles straddle a float's rounding
    /// boundary (none did in 2²⁵ draws of this seed); such a sample may differ by one ulp at most.
    @Test func vectorNormalsFollowTheScalarDefinition() {
        let count = 1 << 21
        var vector = RandomStream(seed: 17), scalar = vector
        var fast = [Float](repeating: 0, count: count), reference = fast
        fast.withUnsafeMutableBufferPointer { vector.fillNormal($0) }
        reference.withUnsafeMutableBufferPointer { scalar.fillNormalReference($0) }
        #expect(vector == scalar, "both consume one word per sample")
        var mismatches = 0
        for i in 0..<count where fast[i] != reference[i] {
            mismatches += 1
            #expect(fast[i].nextUp == reference[i] || fast[i].nextDown == reference[i], "sample \(i): \(fast[i]) vs \(reference[i])")
        }
        #expect(mismatches == 0, "\(mismatches) of \(count) samples differ from libm's formula")
        // The kernel really is the sampler: the moments of a standard normal.
        let mean = fast.reduce(0.0) { $0 + Double($1) } / Double(count)
        let variance = fast.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(count) - mean * mean
        #expect(abs(mean) < 0.003 && abs(variance - 1) < 0.005, "mean \(mean), variance \(variance)")
    }

    /// Odd counts, counts below one vector and across the chunk boundary, and scaling, each
    /// against the definition (the tail goes through zero-padded vectors).
    @Test(arguments: [1, 2, 3, 15, 16, 17, 511, 512, 513, 1025])
    func everyLengthAndScaleFollowsTheDefinition(count: Int) {
        var vector = RandomStream(seed: UInt64(count)), scalar = vector
        var fast = [Float](repeating: .nan, count: count), reference = fast
        fast.withUnsafeMutableBufferPointer { vector.fillNormal($0, mean: 3, std: 0.5) }
        reference.withUnsafeMutableBufferPointer { scalar.fillNormalReference($0, mean: 3, std: 0.5) }
        #expect(fast == reference)
        #expect(vector == scalar, "an odd count still consumes a whole pair of words")
    }

    /// The extremes of the inputs: u₁ at its smallest (2⁻⁵³, the largest radius) and at 1 (radius
    /// 0), θ at every quadrant boundary and just below 2π.
    @Test func extremeWordsFollowTheDefinition() {
        let top: UInt64 = (~0 >> 11) << 11  // (bits >> 11) = 2⁵³ − 1
        var words: [UInt64] = []
        for first: UInt64 in [top, 0, 1 << 11, 0x8000_0000_0000_0000, 0x1234_5678_9ABC_DEF0] {
            for quarter: UInt64 in 0...4 {
                let second = quarter == 4 ? top : quarter << 61
                words += [first, second, first, second &+ (1 << 11), first, second &- (1 << 11)]
            }
        }
        var fast = [Float](repeating: 0, count: words.count)
        words.withUnsafeBufferPointer { w in
            fast.withUnsafeMutableBufferPointer { gankit_box_muller(w.baseAddress!, w.count, 0, 1, $0.baseAddress!) }
        }
        for j in stride(from: 0, to: words.count, by: 2) {
            let u1 = 1.0 - Double(words[j] >> 11) * 0x1p-53, u2 = Double(words[j + 1] >> 11) * 0x1p-53
            let r = (-2.0 * Foundation.log(u1)).squareRoot(), theta = 2.0 * Double.pi * u2
            #expect(fast[j] == Float(r * Foundation.cos(theta)), "words \(words[j]), \(words[j + 1]): cos")
            #expect(fast[j + 1] == Float(r * Foundation.sin(theta)), "words \(words[j]), \(words[j + 1]): sin")
        }
    }

    @Test func derivedStreamsAreIndependentAndLeaveTheParentAlone() {
        let root = RandomStream(seed: 5)
        var parent = root
        var a = parent.derived("a"), b = parent.derived("b"), again = parent.derived("a")
        #expect(parent == root)
        let x = a.next(), y = b.next()
        #expect(x != y)
        #expect(again.next() == x)
        _ = parent.next()
        #expect(parent.derived("a").key == root.derived("a").key, "children depend on the key, not the position")
    }

    @Test func aRestoredStreamContinuesExactly() {
        var stream = RandomStream(seed: 9)
        for _ in 0..<7 { _ = stream.next() }
        var restored = RandomStream(key: stream.key, state: stream.state)
        #expect((0..<100).map { _ in stream.next() } == (0..<100).map { _ in restored.next() })
    }
}
