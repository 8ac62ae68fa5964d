extension Tensor {
    /// Dimensions reordered: output dimension i is input dimension `axes[i]`.
    public func permuted(_ axes: [Int]) -> Tensor {
        precondition(axes.sorted() == Array(0..<rank), "permutation \(axes) of a rank-\(rank) tensor")
        if axes == Array(0..<rank) { return self }
        let outShape = axes.map { shape[$0] }
        var inStrides = [Int](repeating: 1, count: rank)
        for i in stride(from: rank - 2, through: 0, by: -1) { inStrides[i] = inStrides[i + 1] * shape[i + 1] }
        let walker = StridedWalker(shape: outShape, stridesA: axes.map { inStrides[$0] }, stridesB: [Int](repeating: 0, count: rank))
        var out = Tensor(uninitializedShape: outShape)
        withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { o in walker.forEach { i, ia, _ in o[i] = x[ia] } }
        }
        return out
    }

    /// The transpose of a rank-2 tensor.
    public var transposed: Tensor { permuted([1, 0]) }

    /// Tensors joined along `axis`; all other dimensions must agree.
    public static func concatenate(_ parts: [Tensor], axis: Int = 0) -> Tensor {
        precondition(!parts.isEmpty, "concatenate needs at least one tensor")
        let first = parts[0].shape
        let axis = axis < 0 ? axis + first.count : axis
        for p in parts {
            precondition(p.rank == first.count && (0..<first.count).allSatisfy { $0 == axis || p.shape[$0] == first[$0] },
                         "concatenate along \(axis): shapes \(parts.map(\.shape)) disagree")
        }
        var outShape = first
        outShape[axis] = parts.reduce(0) { $0 + $1.shape[axis] }
        let outer = first[..<axis].reduce(1, *)
        let inner = first[(axis + 1)...].reduce(1, *)
        var out = Tensor(uninitializedShape: outShape)
        let rowLength = outShape[axis] * inner
        out.withUnsafeMutableBufferPointer { o in
            var offset = 0
            for p in parts {
                let chunk = p.shape[axis] * inner
                p.withUnsafeBufferPointer { x in
                    for r in 0..<outer {
                        (o.baseAddress! + r * rowLength + offset).update(from: x.baseAddress! + r * chunk, count: chunk)
                    }
                }
                offset += chunk
            }
        }
        return out
    }

    /// Elements `range` along `axis`.
    public func slice(axis: Int, _ range: Range<Int>) -> Tensor {
        let axis = axis < 0 ? axis + rank : axis
        precondition(range.lowerBound >= 0 && range.upperBound <= shape[axis], "slice \(range) of axis \(axis) with size \(shape[axis])")
        if range == 0..<shape[axis] { return self }
        var outShape = shape
        outShape[axis] = range.count
        let outer = shape[..<axis].reduce(1, *)
        let inner = shape[(axis + 1)...].reduce(1, *)
        var out = Tensor(uninitializedShape: outShape)
        withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { o in
                for r in 0..<outer {
                    (o.baseAddress! + r * range.count * inner)
                        .update(from: x.baseAddress! + (r * shape[axis] + range.lowerBound) * inner, count: range.count * inner)
                }
            }
        }
        return out
    }

    /// `self` placed into zeros of `fullShape` at `range` along `axis` (the backward of `slice`).
    public func padded(axis: Int, _ range: Range<Int>, to fullShape: [Int]) -> Tensor {
        let axis = axis < 0 ? axis + rank : axis
        let outer = fullShape[..<axis].reduce(1, *)
        let inner = fullShape[(axis + 1)...].reduce(1, *)
        var out = Tensor.zeros(fullShape)
        withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { o in
                for r in 0..<outer {
                    (o.baseAddress! + (r * fullShape[axis] + range.lowerBound) * inner)
                        .update(from: x.baseAddress! + r * range.count * inner, count: range.count * inner)
                }
            }
        }
        return out
    }

    /// Rows `indices` of the first axis, in that order (mini-batch gathering).
    public func gatherRows(_ indices: [Int]) -> Tensor {
        let row = shape.dropFirst().reduce(1, *)
        var outShape = shape
        outShape[0] = indices.count
        var out = Tensor(uninitializedShape: outShape)
        withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { o in
                for (k, i) in indices.enumerated() {
                    precondition(i >= 0 && i < shape[0], "row \(i) of \(shape[0])")
                    (o.baseAddress! + k * row).update(from: x.baseAddress! + i * row, count: row)
                }
            }
        }
        return out
    }

    /// Overwrites rows `start..<start + n` of the first axis with the `n` rows of `source`, whose
    /// other axes match: how batches of features are gathered into one tensor without a
    /// concatenation per batch.
    public mutating func replaceRows(startingAt start: Int, with source: Tensor) {
        precondition(source.rank == rank && Array(source.shape.dropFirst()) == Array(shape.dropFirst()),
                     "rows of shape \(source.shape) into \(shape)")
        precondition(start >= 0 && start + source.shape[0] <= shape[0], "rows \(start)..<\(start + source.shape[0]) of \(shape[0])")
        let row = shape.dropFirst().reduce(1, *)
        withUnsafeMutableBufferPointer { target in
            source.withUnsafeBufferPointer { (target.baseAddress! + start * row).update(from: $0.baseAddress!, count: $0.count) }
        }
    }
}
