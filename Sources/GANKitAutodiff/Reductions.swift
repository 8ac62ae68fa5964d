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
