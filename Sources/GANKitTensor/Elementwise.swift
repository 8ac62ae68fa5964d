import Foundation

extension Tensor {
    /// A new tensor of `f` applied to every element.
    @inlinable
    public func map(_ f: (Float) -> Float) -> Tensor {
        var out = Tensor(uninitializedShape: shape)
        let n = count
        withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { y in
                for i in 0..<n { y[i] = f(x[i]) }
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
                    out.withUnsafeMutableBufferPointer { o in for i in 0..<n { o[i] = f(x[i], y[i]) } }
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
        return zipBroadcast(a, b, f)
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

    /// `self += alpha · other` in place, same shapes (an axpy: optimizers and gradient accumulation).
    public mutating func addScaled(_ other: Tensor, _ alpha: Float = 1) {
        precondition(shape == other.shape, "addScaled: \(shape) vs \(other.shape)")
        let n = count
        other.withUnsafeBufferPointer { o in
            withUnsafeMutableBufferPointer { s in for i in 0..<n { s[i] += alpha * o[i] } }
        }
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
