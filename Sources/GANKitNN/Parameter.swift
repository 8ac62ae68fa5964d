import GANKitAutodiff
import GANKitTensor

/// A trainable tensor owned by a module. Optimizers write `value`; a forward pass reads it
/// through `variable`, the graph leaf that gradients are taken with respect to.
public final class Parameter: @unchecked Sendable {
    public var value: Tensor { didSet { cachedVariable = nil } }
    private var cachedVariable: Variable?

    public init(_ value: Tensor) { self.value = value }

    /// The leaf for the current value (one per value, so every use in a forward pass is the same
    /// node). When nothing is being recorded it is a plain constant and the cache is untouched,
    /// so several threads may run inference through one module.
    public var variable: Variable {
        guard Autodiff.isRecording else { return Variable(value) }
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
