import Foundation
import GANKitTensor

// Elementwise functions, each with its backward rule beside it. Rules reuse the forward output
// where that is cheaper (tanh, sigmoid, exp, sqrt) and stay differentiable for double backward.

extension Variable {
    /// max(x, slope·x) for slope in [0, 1); slope 0 is ReLU.
    public func leakyReLU(slope: Float) -> Variable {
        let x = self
        return Variable.record(value.leakyReLU(slope: slope), [x]) { g, _ in [g.scaledWhereNegative(of: x, by: slope)] }
    }

    public func relu() -> Variable { leakyReLU(slope: 0) }

    /// `self` where `reference > 0`, `slope · self` elsewhere: the derivative of a leaky ReLU
    /// applied to an upstream gradient. Piecewise constant in `reference`, so it sends no
    /// gradient there.
    public func scaledWhereNegative(of reference: Variable, by slope: Float) -> Variable {
        let out = value.scaledWhereNegative(of: reference.value, by: slope)
        return Variable.record(out, [self, reference]) { up, needed in
            [needed[0] ? up.scaledWhereNegative(of: reference, by: slope) : nil, nil]
        }
    }

    public func tanh() -> Variable {
        Variable.recordUsingOutput(value.map { Foundation.tanh($0) }, [self]) { g, y in [g * (1 - y * y)] }
    }

    public func sigmoid() -> Variable {
        Variable.recordUsingOutput(value.map(ScalarMath.sigmoid), [self]) { g, y in [g * y * (1 - y)] }
    }

    /// log(1 + eˣ), computed without overflow.
    public func softplus() -> Variable {
        let x = self
        return Variable.record(value.map(ScalarMath.softplus), [x]) { g, _ in [g * x.sigmoid()] }
    }

    /// log σ(x) = −softplus(−x), computed without overflow.
    public func logSigmoid() -> Variable {
        let x = self
        return Variable.record(value.map(ScalarMath.logSigmoid), [x]) { g, _ in [g * (-x).sigmoid()] }
    }

    public func exp() -> Variable {
        Variable.recordUsingOutput(value.map { Foundation.exp($0) }, [self]) { g, y in [g * y] }
    }

    public func log() -> Variable {
        let x = self
        return Variable.record(value.map { Foundation.log($0) }, [x]) { g, _ in [g / x] }
    }

    public func sqrt() -> Variable {
        Variable.recordUsingOutput(value.map { $0.squareRoot() }, [self]) { g, y in [g / (y * 2)] }
    }

    public func square() -> Variable {
        let x = self
        return Variable.record(value.map { $0 * $0 }, [x]) { g, _ in [g * x * 2] }
    }
}

extension Variable {
    /// Records a one-input operation whose backward rule is cheapest in terms of its own output
    /// (tanh, sigmoid, exp, sqrt). The output node is handed to the rule, so the rule stays
    /// differentiable: the output depends on the input through the graph.
    static func recordUsingOutput(_ value: Tensor, _ inputs: [Variable], backward: @escaping (_ upstream: Variable, _ output: Variable) -> [Variable?]) -> Variable {
        let box = WeakBox()
        let node = record(value, inputs) { g, _ in backward(g, box.node ?? Variable(value)) }
        box.node = node
        return node
    }
}

/// Lets a backward rule see the node it belongs to without a reference cycle.
final class WeakBox: @unchecked Sendable {
    weak var node: Variable?
}
