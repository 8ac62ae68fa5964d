import GANKitAutodiff
import GANKitTensor

/// The base of every layer and network: named parameters and buffers in a tree, a train/eval
/// mode, and a cheap deep copy.
///
/// Names follow PyTorch's `state_dict` (`layers.0.weight`), so weights saved by GANKit line up with
/// PyTorch's and optimizer state can be keyed by them.
open class Module: @unchecked Sendable {
    /// Training mode: batch statistics in BatchNorm. Set it through `setTraining(_:)`.
    public private(set) var isTraining = true

    public init() {}

    /// The module's own parameters, in a fixed order (subclasses override).
    open var localParameters: [(String, Parameter)] { [] }
    /// The module's own buffers (subclasses override).
    open var localBuffers: [(String, Buffer)] { [] }
    /// Sub-modules by name (subclasses override).
    open var children: [(String, Module)] { [] }
    /// The layer as the architecture file describes it; nil for containers (subclasses override).
    open var layerDescription: LayerDescription? { nil }

    /// Maps the input to the output; every layer overrides it.
    open func forward(_ input: Variable) -> Variable { fatalError("\(type(of: self)) does not override forward(_:)") }

    /// A deep copy: new parameter and buffer objects whose tensors share storage until written.
    open func copy() -> Module { fatalError("\(type(of: self)) does not override copy()") }

    /// True when each sample's output depends on that sample alone (no batch statistics), so that
    /// real and fake batches may be evaluated in one pass.
    open var isBatchIndependent: Bool { children.allSatisfy { $0.1.isBatchIndependent } }

    public func callAsFunction(_ input: Variable) -> Variable { forward(input) }

    /// Tensor in, tensor out, without building a graph (inference).
    public func callAsFunction(_ input: Tensor) -> Tensor {
        Autodiff.withoutRecording { forward(Variable(input)).value }
    }

    public func setTraining(_ training: Bool) {
        isTraining = training
        for (_, child) in children { child.setTraining(training) }
    }

    /// Every parameter below this module with its dotted name, depth first.
    public var namedParameters: [(String, Parameter)] {
        var out = localParameters
        for (name, child) in children {
            out += child.namedParameters.map { ("\(name).\($0.0)", $0.1) }
        }
        return out
    }

    public var namedBuffers: [(String, Buffer)] {
        var out = localBuffers
        for (name, child) in children {
            out += child.namedBuffers.map { ("\(name).\($0.0)", $0.1) }
        }
        return out
    }

    public var parameterCount: Int { namedParameters.reduce(0) { $0 + $1.1.value.count } }

    /// Parameters and buffers by name, as a checkpoint stores them.
    public var stateDictionary: [String: Tensor] {
        var out: [String: Tensor] = [:]
        for (n, p) in namedParameters { out[n] = p.value }
        for (n, b) in namedBuffers { out[n] = b.value }
        return out
    }

    /// Loads parameters and buffers by name; every name must be present with the same shape.
    public func load(stateDictionary state: [String: Tensor]) throws(ModuleError) {
        let params = namedParameters, buffers = namedBuffers
        for (n, p) in params {
            guard let t = state[n] else { throw .missing(name: n) }
            guard t.shape == p.value.shape else { throw .shapeMismatch(name: n, expected: p.value.shape, found: t.shape) }
        }
        for (n, b) in buffers {
            guard let t = state[n] else { throw .missing(name: n) }
            guard t.shape == b.value.shape else { throw .shapeMismatch(name: n, expected: b.value.shape, found: t.shape) }
        }
        let known = Set(params.map(\.0) + buffers.map(\.0))
        if let extra = state.keys.sorted().first(where: { !known.contains($0) }) { throw .unexpected(name: extra) }
        for (n, p) in params { p.value = state[n]! }
        for (n, b) in buffers { b.value = state[n]! }
    }

    /// Makes this module's parameters and buffers equal to those of `source` (a module of the same
    /// architecture), writing into buffers it owns: a player refreshed from another every
    /// iteration allocates nothing after the first.
    public func overwrite(with source: Module) {
        for ((name, p), (sourceName, s)) in zip(namedParameters, source.namedParameters) {
            precondition(name == sourceName && p.value.shape == s.value.shape, "overwrite: \(name) does not match \(sourceName)")
            var value = p.value
            p.value = Self.placeholder  // the value is uniquely owned while it is written
            value.overwrite(with: s.value)
            p.value = value
        }
        for ((name, b), (sourceName, s)) in zip(namedBuffers, source.namedBuffers) {
            precondition(name == sourceName && b.value.shape == s.value.shape, "overwrite: \(name) does not match \(sourceName)")
            var value = b.value
            b.value = Self.placeholder
            value.overwrite(with: s.value)
            b.value = value
        }
    }

    /// Stands in for a value taken out of its parameter while it is written in place.
    static let placeholder = Tensor.zeros([])

    /// Gradients of `loss` with respect to this module's parameters, by name.
    public func gradients(of loss: Variable) -> [String: Tensor] {
        let params = namedParameters
        let grads = Autodiff.gradients(of: loss, wrt: params.map { $0.1.variable })
        var out: [String: Tensor] = [:]
        for ((name, _), g) in zip(params, grads) { out[name] = g.value }
        return out
    }
}

public enum ModuleError: Error, CustomStringConvertible, Equatable {
    case missing(name: String)
    case unexpected(name: String)
    case shapeMismatch(name: String, expected: [Int], found: [Int])

    public var description: String {
        switch self {
        case .missing(let n): "tensor '\(n)' is missing"
        case .unexpected(let n): "tensor '\(n)' does not belong to this network"
        case .shapeMismatch(let n, let e, let f): "tensor '\(n)' has shape \(f), the network expects \(e)"
        }
    }
}
