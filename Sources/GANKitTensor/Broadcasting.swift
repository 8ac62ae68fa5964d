/// NumPy/PyTorch broadcasting: shapes are aligned at their trailing dimensions, and a dimension of
/// size 1 (or a missing one) stretches to match the other.
public enum Broadcasting {
    /// The broadcast shape of `a` and `b`, or nil when they are incompatible.
    public static func shape(_ a: [Int], _ b: [Int]) -> [Int]? {
        let rank = max(a.count, b.count)
        var result = [Int](repeating: 1, count: rank)
        for i in 0..<rank {
            let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
            let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
            if da == db || db == 1 { result[i] = da } else if da == 1 { result[i] = db } else { return nil }
        }
        return result
    }

    /// Strides of `shape` read as if broadcast to `target` (0 along stretched dimensions).
    static func strides(of shape: [Int], broadcastTo target: [Int]) -> [Int] {
        var strides = [Int](repeating: 0, count: target.count)
        var step = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) {
            let t = i + target.count - shape.count
            strides[t] = shape[i] == 1 ? 0 : step
            step *= shape[i]
        }
        return strides
    }

    /// The axes along which a tensor of `shape` was stretched to reach `target`; summing a
    /// gradient over them brings it back to `shape` (the backward of broadcasting).
    public static func reducedAxes(from target: [Int], to shape: [Int]) -> [Int] {
        let offset = target.count - shape.count
        return (0..<target.count).filter { i in i < offset || (shape[i - offset] == 1 && target[i] != 1) }
    }
}

/// Walks a row-major index space, keeping flat offsets into up to two broadcast operands.
struct StridedWalker {
    let shape: [Int]
    let stridesA: [Int]
    let stridesB: [Int]

    /// Calls `body(outputIndex, offsetA, offsetB)` for every element; the innermost dimension is a
    /// tight loop.
    @inline(__always)
    func forEach(_ body: (Int, Int, Int) -> Void) {
        let rank = shape.count
        let total = shape.reduce(1, *)
        if total == 0 { return }
        if rank == 0 { body(0, 0, 0); return }
        let inner = shape[rank - 1], sa = stridesA[rank - 1], sb = stridesB[rank - 1]
        var index = [Int](repeating: 0, count: rank)
        var offA = 0, offB = 0, out = 0
        while out < total {
            for j in 0..<inner { body(out + j, offA + j * sa, offB + j * sb) }
            out += inner
            var d = rank - 2
            while d >= 0 {
                index[d] += 1
                offA += stridesA[d]; offB += stridesB[d]
                if index[d] < shape[d] { break }
                offA -= stridesA[d] * shape[d]; offB -= stridesB[d] * shape[d]
                index[d] = 0
                d -= 1
            }
        }
    }
}
