extension Tensor {
    /// Sum over `axes` (all axes when nil). Reduced axes keep size 1 when `keepingDimensions`.
    public func sum(axes: [Int]? = nil, keepingDimensions: Bool = false) -> Tensor {
        let axes = Set((axes ?? Array(0..<rank)).map { $0 < 0 ? $0 + rank : $0 })
        precondition(axes.allSatisfy { $0 >= 0 && $0 < rank }, "sum over axes \(axes) of a rank-\(rank) tensor")
        let kept = shape.enumerated().map { axes.contains($0.offset) ? 1 : $0.element }
        let finalShape = keepingDimensions ? kept : shape.enumerated().filter { !axes.contains($0.offset) }.map(\.element)
        if axes.isEmpty { return reshaped(finalShape) }
        var out = Tensor.zeros(kept)
        if axes.count == rank {
            var total: Double = 0
            withUnsafeBufferPointer { x in for v in x { total += Double(v) } }
            out.storage.pointer[0] = Float(total)
            return out.reshaped(finalShape)
        }
        // Fold the shape into (outer, reduced-or-kept runs) and accumulate with strides.
        let outStrides = Broadcasting.strides(of: kept, broadcastTo: shape)
        let walker = StridedWalker(shape: shape, stridesA: outStrides, stridesB: outStrides)
        withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { o in
                walker.forEach { i, io, _ in o[io] += x[i] }
            }
        }
        return out.reshaped(finalShape)
    }

    /// Mean over `axes` (all axes when nil).
    public func mean(axes: [Int]? = nil, keepingDimensions: Bool = false) -> Tensor {
        let axes = (axes ?? Array(0..<rank)).map { $0 < 0 ? $0 + rank : $0 }
        let n = axes.reduce(1) { $0 * shape[$1] }
        return sum(axes: axes, keepingDimensions: keepingDimensions) * (1 / Float(Swift.max(n, 1)))
    }

    /// Sums a broadcast gradient back to `target` (the inverse of `broadcast(to:)`).
    public func sum(toShape target: [Int]) -> Tensor {
        if shape == target { return self }
        let axes = Broadcasting.reducedAxes(from: shape, to: target)
        return sum(axes: axes, keepingDimensions: true).reshaped(target)
    }

    /// Largest element.
    public var maxElement: Float { withUnsafeBufferPointer { $0.max() ?? -.infinity } }
    public var minElement: Float { withUnsafeBufferPointer { $0.min() ?? .infinity } }
}
