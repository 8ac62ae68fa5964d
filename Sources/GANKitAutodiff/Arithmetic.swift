import GANKitTensor

// Elementwise arithmetic with broadcasting. The backward of broadcasting is a sum over the
// stretched axes (`summed(toShape:)`), and the backward of that sum is broadcasting again.

extension Variable {
    public static func + (a: Variable, b: Variable) -> Variable {
        record(a.value + b.value, [a, b]) { g, needed in
            [needed[0] ? g.summed(toShape: a.shape) : nil, needed[1] ? g.summed(toShape: b.shape) : nil]
        }
    }

    public static func - (a: Variable, b: Variable) -> Variable {
        record(a.value - b.value, [a, b]) { g, needed in
            [needed[0] ? g.summed(toShape: a.shape) : nil, needed[1] ? (-g).summed(toShape: b.shape) : nil]
        }
    }

    public static func * (a: Variable, b: Variable) -> Variable {
        record(a.value * b.value, [a, b]) { g, needed in
            [needed[0] ? (g * b).summed(toShape: a.shape) : nil, needed[1] ? (g * a).summed(toShape: b.shape) : nil]
        }
    }

    public static func / (a: Variable, b: Variable) -> Variable {
        record(a.value / b.value, [a, b]) { g, needed in
            [needed[0] ? (g / b).summed(toShape: a.shape) : nil,
             needed[1] ? (-(g * a) / (b * b)).summed(toShape: b.shape) : nil]
        }
    }

    public static prefix func - (a: Variable) -> Variable {
        record(-a.value, [a]) { g, _ in [-g] }
    }

    public static func * (a: Variable, s: Float) -> Variable {
        record(a.value * s, [a]) { g, _ in [g * s] }
    }

    public static func * (s: Float, a: Variable) -> Variable { a * s }

    public static func + (a: Variable, s: Float) -> Variable {
        record(a.value + s, [a]) { g, _ in [g] }
    }

    public static func - (a: Variable, s: Float) -> Variable { a + (-s) }
    public static func - (s: Float, a: Variable) -> Variable { -a + s }
    public static func / (a: Variable, s: Float) -> Variable { a * (1 / s) }

    /// Sum of a broadcast value back to `target` (the adjoint of `broadcast(to:)`).
    public func summed(toShape target: [Int]) -> Variable {
        if shape == target { return self }
        let source = shape
        return Variable.record(value.sum(toShape: target), [self]) { g, _ in [g.broadcast(to: source)] }
    }

    /// This value stretched to `target` under broadcasting.
    public func broadcast(to target: [Int]) -> Variable {
        if shape == target { return self }
        let source = shape
        return Variable.record(value.broadcast(to: target), [self]) { g, _ in [g.summed(toShape: source)] }
    }
}
