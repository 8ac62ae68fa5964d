import CVectorKernels

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
        if let block = BroadcastBlock(full: shape, partial: kept) {
            sumBlock(block, into: &out)
            return out.reshaped(finalShape)
        }
        // General case: accumulate with strides.
        let outStrides = Broadcasting.strides(of: kept, broadcastTo: shape)
        let walker = StridedWalker(shape: shape, stridesA: outStrides, stridesB: outStrides)
        withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { o in
                walker.forEach { i, io, _ in o[io] += x[i] }
            }
        }
        return out.reshaped(finalShape)
    }

    /// Sums `[outer, mid, inner]` over outer and inner (per-channel sums, bias gradients).
    private func sumBlock(_ b: BroadcastBlock, into out: inout Tensor) {
        withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { o in
                if b.inner == 1 {
                    gankit_add_column_sums(x.baseAddress!, b.outer, b.mid, o.baseAddress!)
                    return
                }
                for r in 0..<b.outer {
                    for c in 0..<b.mid {
                        o[c] += Tensor.sumRun(x.baseAddress! + (r * b.mid + c) * b.inner, count: b.inner)
                    }
                }
            }
        }
    }

    /// Sum of a contiguous run, eight lanes at a time.
    @inline(__always)
    static func sumRun(_ p: UnsafePointer<Float>, count: Int) -> Float {
        var acc = SIMD8<Float>(repeating: 0)
        var i = 0
        while i + 8 <= count {
            acc += UnsafeRawPointer(p + i).loadUnaligned(as: SIMD8<Float>.self)
            i += 8
        }
        var total = acc.sum()
        while i < count { total += p[i]; i += 1 }
        return total
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
