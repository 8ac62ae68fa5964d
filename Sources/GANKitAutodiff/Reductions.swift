import GANKitTensor

extension Variable {
    /// Sum over `axes` (all when nil); the backward broadcasts the gradient back.
    public func sum(axes: [Int]? = nil, keepingDimensions: Bool = false) -> Variable {
        let source = shape
        let normalized = (axes ?? Array(0..<rank)).map { $0 < 0 ? $0 + rank : $0 }
        let kept = source.enumerated().map { normalized.contains($0.offset) ? 1 : $0.element }
        return Variable.record(value.sum(axes: normalized, keepingDimensions: keepingDimensions), [self]) { g, _ in
            [g.reshaped(kept).broadcast(to: source)]
        }
    }

    /// Mean over `axes` (all when nil).
    public func mean(axes: [Int]? = nil, keepingDimensions: Bool = false) -> Variable {
        let normalized = (axes ?? Array(0..<rank)).map { $0 < 0 ? $0 + rank : $0 }
        let n = normalized.reduce(1) { $0 * shape[$1] }
        return sum(axes: normalized, keepingDimensions: keepingDimensions) * (1 / Float(Swift.max(n, 1)))
    }
}

extension Variable {
    /// log softmax over the last axis of `[N, K]`, shifted by each row's maximum for stability.
    public func logSoftmax() -> Variable {
        precondition(rank == 2, "logSoftmax expects [N, K], got \(shape)")
        let rowMax = Variable(value.rowMaxima())
        let shifted = self - rowMax
        return shifted - shifted.exp().sum(axes: [1], keepingDimensions: true).log()
    }

    /// Softmax along `axis` (a character GAN's distribution over the vocabulary at each position),
    /// shifted by the maximum for stability; composed of differentiable operations, so it has a
    /// second derivative.
    public func softmax(axis: Int) -> Variable {
        precondition(axis >= 0 && axis < rank, "softmax: axis \(axis) of a rank-\(rank) value")
        let last = rank - 1
        var order = Array(0..<rank)
        order.swapAt(axis, last)
        let moved = axis == last ? self : permuted(order)
        let rows = moved.reshaped([moved.shape.dropLast().reduce(1, *), moved.shape[last]])
        let shifted = rows - Variable(rows.value.rowMaxima())
        let e = shifted.exp()
        let normalised = (e / e.sum(axes: [1], keepingDimensions: true)).reshaped(moved.shape)
        return axis == last ? normalised : normalised.permuted(order)
    }
}

extension Tensor {
    /// The maximum of each row of `[N, K]`, as `[N, 1]`.
    func rowMaxima() -> Tensor {
        let (n, k) = (shape[0], shape[1])
        var out = Tensor(uninitializedShape: [n, 1])
        withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { o in
                for i in 0..<n { o[i] = (0..<k).reduce(-Float.infinity) { Swift.max($0, x[i * k + $1]) } }
            }
        }
        return out
    }
}
