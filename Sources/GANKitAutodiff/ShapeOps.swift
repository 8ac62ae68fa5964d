import GANKitTensor

extension Variable {
    public func reshaped(_ newShape: [Int]) -> Variable {
        let source = shape
        let out = value.reshaped(newShape)
        if out.shape == source { return self }
        return Variable.record(out, [self]) { g, _ in [g.reshaped(source)] }
    }

    /// Flattens every dimension after the first: `[N, …] → [N, ∏…]`.
    public var flattenedRows: Variable { reshaped([shape[0], -1]) }

    public func permuted(_ axes: [Int]) -> Variable {
        var inverse = [Int](repeating: 0, count: axes.count)
        for (i, a) in axes.enumerated() { inverse[a] = i }
        return Variable.record(value.permuted(axes), [self]) { g, _ in [g.permuted(inverse)] }
    }

    public var transposed: Variable { permuted([1, 0]) }

    public static func concatenate(_ parts: [Variable], axis: Int = 0) -> Variable {
        let sizes = parts.map { $0.shape[axis < 0 ? axis + $0.rank : axis] }
        return record(Tensor.concatenate(parts.map(\.value), axis: axis), parts) { g, needed in
            var start = 0
            return zip(sizes, needed).map { size, need in
                defer { start += size }
                return need ? g.slice(axis: axis, start..<(start + size)) : nil
            }
        }
    }

    public func slice(axis: Int, _ range: Range<Int>) -> Variable {
        let full = shape
        return Variable.record(value.slice(axis: axis, range), [self]) { g, _ in [g.padded(axis: axis, range, to: full)] }
    }

    /// `self` placed into zeros of `fullShape` at `range` along `axis` (adjoint of `slice`).
    public func padded(axis: Int, _ range: Range<Int>, to fullShape: [Int]) -> Variable {
        Variable.record(value.padded(axis: axis, range, to: fullShape), [self]) { g, _ in [g.slice(axis: axis, range)] }
    }
}
