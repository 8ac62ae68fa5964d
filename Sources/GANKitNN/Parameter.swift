import GANKitAutodiff
import GANKitTensor

/// A trainable tensor owned by a module. Optimizers write `value`; a forward pass reads it
/// through `variable`, the graph leaf that gradients are taken with respect to.
public final class Parameter: @unchecked Sendable {
    public var value: Tensor { didSet { cachedVariable = nil } }
    private var cachedVariable: Variable?

    public init(_ value: Tensor) { self.value = value }

    /// The leaf for the current value (one per value, so every use in a forward pass is the same node).
    public var variable: Variable {
        if let v = cachedVariable { return v }
        let v = Variable(value, requiresGradient: true)
        cachedVariable = v
        return v
    }

    /// Forgets the graph leaf, so the next forward pass starts a fresh one.
    public func resetGraph() { cachedVariable = nil }
}

/// A tensor a module keeps but does not train (batch-norm running statistics).
public final class Buffer: @unchecked Sendable {
    public var value: Tensor
    public init(_ value: Tensor) { self.value = value }
}
