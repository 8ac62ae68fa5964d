import GANKitTensor
import Testing

/// Row-wise copies that gather batches (of features, of samples) into one tensor.
struct ShapeOpsTests {
    @Test func replacedRowsLandWhereAskedAndNothingElseMoves() {
        var target = Tensor(shape: [4, 2, 3], values: (0..<24).map(Float.init))
        let source = Tensor(shape: [2, 2, 3], values: (100..<112).map(Float.init))
        target.replaceRows(startingAt: 1, with: source)
        let expected = (0..<6).map(Float.init) + (100..<112).map(Float.init) + (18..<24).map(Float.init)
        #expect(target.withUnsafeBufferPointer { Array($0) } == expected)
    }

    @Test func gatheredRowsFollowTheIndicesInOrder() {
        let x = Tensor(shape: [3, 2], values: [0, 1, 10, 11, 20, 21])
        #expect(x.gatherRows([2, 0, 2]).withUnsafeBufferPointer { Array($0) } == [20, 21, 0, 1, 20, 21])
    }
}
