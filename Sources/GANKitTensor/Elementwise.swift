import CVectorKernels
import Foundation

extension Tensor {
    /// A new tensor of `f` applied to every element, large tensors split across BLAS's threads
    /// (elementwise work between two multi-threaded GEMMs would otherwise leave all but one idle).
    @inlinable
    public func map(_ f: (Float) -> Float) -> Tensor {
        var out = Tensor(uninitializedShape: shape)
        let n = count
        withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { y in
                Parallel.forEachChunk(of: n, grain: Parallel.minimumFloatsPerThread) { range in
                    for i in range { y[i] = f(x[i]) }
                }
            }
        }
        return out
    }

    /// Combines `a` and `b` elementwise under broadcasting.
    @inlinable
    public static func zip(_ a: Tensor, _ b: Tensor, _ f: (Float, Float) -> Float) -> Tensor {
        if a.shape == b.shape {
            var out = Tensor(uninitializedShape: a.shape)
            let n = a.count
            a.withUnsafeBufferPointer { x in
                b.withUnsafeBufferPointer { y in
                    out.withUnsafeMutableBufferPointer { o in
                        Parallel.forEachChunk(of: n, grain: Parallel.minimumFloatsPerThread) { range in
                            for i in range { o[i] = f(x[i], y[i]) }
                        }
                    }
                }
            }
            return out
        }
        if b.count == 1 {
            let s = b.storage.pointer[0]
            return a.map { f($0, s) }
        }
        if a.count == 1 {
            let s = a.storage.pointer[0]
            return b.map { f(s, $0) }
        }
        if let block = BroadcastBlock(full: a.shape, partial: b.shape) {
            return zipBlock(a, b, block) { x, y in f(x, y) }
        }
        if let block = BroadcastBlock(full: b.shape, partial: a.shape) {
            return zipBlock(b, a, block) { x, y in f(y, x) }
        }
        return zipBroadcast(a, b, f)
    }

    /// `full` combined with `partial` that varies along one contiguous block of axes
    /// (a channel bias `[1, C, 1, 1]`, a row `[C]`): plain loops, no index arithmetic.
    @inlinable
    static func zipBlock(_ full: Tensor, _ partial: Tensor, _ block: BroadcastBlock, _ f: (Float, Float) -> Float) -> Tensor {
        var out = Tensor(uninitializedShape: full.shape)
        let (outer, mid, inner) = (block.outer, block.mid, block.inner)
        full.withUnsafeBufferPointer { x in
            partial.withUnsafeBufferPointer { y in
                out.withUnsafeMutableBufferPointer { o in
                    if inner == 1 {
                        for r in 0..<outer {
                            let base = r * mid
                            for c in 0..<mid { o[base + c] = f(x[base + c], y[c]) }
                        }
                    } else {
                        for r in 0..<outer {
                            for c in 0..<mid {
                                let yc = y[c], base = (r * mid + c) * inner
                                for i in 0..<inner { o[base + i] = f(x[base + i], yc) }
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    @usableFromInline
    static func zipBroadcast(_ a: Tensor, _ b: Tensor, _ f: (Float, Float) -> Float) -> Tensor {
        guard let shape = Broadcasting.shape(a.shape, b.shape) else {
            preconditionFailure("shapes \(a.shape) and \(b.shape) do not broadcast")
        }
        var out = Tensor(uninitializedShape: shape)
        let walker = StridedWalker(
            shape: shape, stridesA: Broadcasting.strides(of: a.shape, broadcastTo: shape),
            stridesB: Broadcasting.strides(of: b.shape, broadcastTo: shape))
        a.withUnsafeBufferPointer { x in
            b.withUnsafeBufferPointer { y in
                out.withUnsafeMutableBufferPointer { o in
                    walker.forEach { i, ia, ib in o[i] = f(x[ia], y[ib]) }
                }
            }
        }
        return out
    }

    /// Combines three same-shaped tensors elementwise (fused backward rules use it).
    @inlinable
    public static func zip3(_ a: Tensor, _ b: Tensor, _ c: Tensor, _ f: (Float, Float, Float) -> Float) -> Tensor {
        precondition(a.shape == b.shape && b.shape == c.shape, "zip3 needs equal shapes: \(a.shape), \(b.shape), \(c.shape)")
        var out = Tensor(uninitializedShape: a.shape)
        let n = a.count
        a.withUnsafeBufferPointer { x in
            b.withUnsafeBufferPointer { y in
                c.withUnsafeBufferPointer { z in
                    out.withUnsafeMutableBufferPointer { o in for i in 0..<n { o[i] = f(x[i], y[i], z[i]) } }
                }
            }
        }
        return out
    }

    /// This tensor stretched to `target` under broadcasting (materialised).
    public func broadcast(to target: [Int]) -> Tensor {
        if shape == target { return self }
        precondition(Broadcasting.shape(shape, target) == target, "cannot broadcast \(shape) to \(target)")
        return Tensor.zipBroadcast(self, Tensor.zeros(target), { x, _ in x })
    }

    public static func + (a: Tensor, b: Tensor) -> Tensor { zip(a, b, +) }
    public static func - (a: Tensor, b: Tensor) -> Tensor { zip(a, b, -) }
    public static func * (a: Tensor, b: Tensor) -> Tensor { zip(a, b, *) }
    public static func / (a: Tensor, b: Tensor) -> Tensor { zip(a, b, /) }
    public static func * (a: Tensor, s: Float) -> Tensor { a.map { $0 * s } }
    public static func + (a: Tensor, s: Float) -> Tensor { a.map { $0 + s } }
    public static prefix func - (a: Tensor) -> Tensor { a.map { -$0 } }

    /// max(x, slope·x) elementwise, for slope in [0, 1).
    public func leakyReLU(slope: Float) -> Tensor {
        var out = Tensor(uninitializedShape: shape)
        withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { y in
                Parallel.forEachChunk(of: x.count, grain: Parallel.minimumFloatsPerThread) { r in
                    gankit_leaky_relu(x.baseAddress! + r.lowerBound, r.count, slope, y.baseAddress! + r.lowerBound)
                }
            }
        }
        return out
    }

    /// `self` where `reference > 0`, `slope · self` elsewhere (LeakyReLU's backward rule).
    public func scaledWhereNegative(of reference: Tensor, by slope: Float) -> Tensor {
        if shape != reference.shape { return Tensor.zip(self, reference) { g, x in x > 0 ? g : slope * g } }
        var out = Tensor(uninitializedShape: shape)
        withUnsafeBufferPointer { g in
            reference.withUnsafeBufferPointer { x in
                out.withUnsafeMutableBufferPointer { o in
                    Parallel.forEachChunk(of: g.count, grain: Parallel.minimumFloatsPerThread) { r in
                        gankit_leaky_relu_backward(g.baseAddress! + r.lowerBound, x.baseAddress! + r.lowerBound, r.count, slope,
                                                   o.baseAddress! + r.lowerBound)
                    }
                }
            }
        }
        return out
    }

    /// `self += alpha · other` in place, same shapes (an axpy: optimizers and gradient accumulation).
    public mutating func addScaled(_ other: Tensor, _ alpha: Float = 1) {
        precondition(shape == other.shape, "addScaled: \(shape) vs \(other.shape)")
        other.withUnsafeBufferPointer { o in
            withUnsafeMutableBufferPointer { s in
                Parallel.forEachChunk(of: s.count, grain: Parallel.grain(floatsPerItem: 1)) { range in
                    gankit_add_scaled(s.baseAddress! + range.lowerBound, o.baseAddress! + range.lowerBound, range.count, alpha)
                }
            }
        }
    }
}

/// A broadcast where the smaller operand varies along one contiguous block of the larger one's
/// axes: the larger is `[outer, mid, inner]`, the smaller `[mid]`.
public struct BroadcastBlock: Sendable {
    public let outer: Int, mid: Int, inner: Int

    public init?(full: [Int], partial: [Int]) {
        guard partial.count <= full.count, !full.isEmpty else { return nil }
        let aligned = [Int](repeating: 1, count: full.count - partial.count) + partial
        guard let first = aligned.firstIndex(where: { $0 != 1 }), let last = aligned.lastIndex(where: { $0 != 1 }) else { return nil }
        for i in first...last where aligned[i] != full[i] { return nil }
        outer = full[..<first].reduce(1, *)
        mid = full[first...last].reduce(1, *)
        inner = full[(last + 1)...].reduce(1, *)
    }
}

/// Numerically stable scalar functions shared by the forward and backward rules.
public enum ScalarMath {
    @inlinable public static func sigmoid(_ x: Float) -> Float {
        x >= 0 ? 1 / (1 + expf(-x)) : { let e = expf(x); return e / (1 + e) }()
    }
    /// log(1 + eˣ) without overflow.
    @inlinable public static func softplus(_ x: Float) -> Float { max(x, 0) + log1pf(expf(-abs(x))) }
    /// log σ(x) = −softplus(−x).
    @inlinable public static func logSigmoid(_ x: Float) -> Float { min(x, 0) - log1pf(expf(-abs(x))) }
}
