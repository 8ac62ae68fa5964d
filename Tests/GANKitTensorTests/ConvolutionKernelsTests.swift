import Testing
@testable import GANKitTensor

/// The layout changes around every convolution move whole 8×8 blocks through registers, with
/// scalar edges: every shape must give the plain transpose, edges included.
struct ConvolutionKernelsTests {
    @Test(arguments: [(1, 5), (5, 1), (3, 7), (8, 8), (9, 17), (64, 130), (130, 64), (65, 200)])
    func transposeMatchesTheDefinitionOnEveryShape(rows: Int, columns: Int) {
        let source = (0..<(rows * columns)).map { Float($0) }
        for threads in [1, 2] {
            var destination = [Float](repeating: -1, count: rows * columns)
            Parallel.$threadsOverride.withValue(threads) {
                source.withUnsafeBufferPointer { s in
                    destination.withUnsafeMutableBufferPointer { d in
                        ConvolutionKernels.transpose(s.baseAddress!, rows: rows, columns: columns, into: d.baseAddress!)
                    }
                }
            }
            let expected = (0..<columns).flatMap { c in (0..<rows).map { r in source[r * columns + c] } }
            #expect(destination == expected, "\(rows)×\(columns) on \(threads) thread(s)")
        }
    }
}
