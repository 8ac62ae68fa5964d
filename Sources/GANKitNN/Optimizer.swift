import GANKitTensor

/// Updates a module's parameters from their gradients, keeping per-parameter state by name.
///
/// Optimizers are values: assigning one copies its state (copy-on-write tensors). `state` exposes
/// every tensor by a stable name for checkpoints; `restore` writes a state into the buffers the
/// optimizer already owns, so that an SGAN messenger taking its discriminator's state every
/// iteration allocates nothing.
public protocol Optimizer: Sendable {
    /// Applies one step to every parameter of `module` that has a gradient in `gradients`.
    mutating func update(_ module: Module, gradients: [String: Tensor])
    /// Number of steps taken.
    var step: Int { get }
    /// Per-parameter state tensors, as `"<parameter>.<slot>"`.
    var state: [String: Tensor] { get }
    /// Restores a state saved from `state` and `step`.
    mutating func restore(state: [String: Tensor], step: Int) throws(OptimizerError)
}

public enum OptimizerError: Error, CustomStringConvertible, Equatable {
    case unknownSlot(String)
    case shapeMismatch(String)

    public var description: String {
        switch self {
        case .unknownSlot(let s): "optimizer state '\(s)' does not belong to this optimizer"
        case .shapeMismatch(let s): "optimizer state '\(s)' has the wrong shape"
        }
    }
}

/// An optimizer whose state is per-parameter slot tensors: `state` and `restore` come for free.
protocol SlotOptimizer: Optimizer {
    var slots: OptimizerSlots { get set }
    var step: Int { get set }
}

extension SlotOptimizer {
    public var state: [String: Tensor] { slots.state }

    public mutating func restore(state: [String: Tensor], step: Int) throws(OptimizerError) {
        try slots.restore(state)
        self.step = step
    }
}

extension Module {
    /// Calls `body` for each parameter that has a gradient, with the parameter's value taken out of
    /// the module meanwhile, so that the tensor is uniquely owned and `body` updates it in place
    /// instead of copying it (copy-on-write).
    func updateParameters(with gradients: [String: Tensor], _ body: (_ name: String, _ value: inout Tensor, _ gradient: Tensor) -> Void) {
        for (name, parameter) in namedParameters {
            guard let gradient = gradients[name] else { continue }
            precondition(gradient.shape == parameter.value.shape, "gradient of \(name) has shape \(gradient.shape), the parameter \(parameter.value.shape)")
            var value = parameter.value
            parameter.value = Self.placeholder
            body(name, &value, gradient)
            parameter.value = value
        }
    }
}

/// Shared bookkeeping: slots of per-parameter tensors created on first use.
struct OptimizerSlots: Sendable {
    var tensors: [String: Tensor] = [:]
    let slotNames: [String]

    var state: [String: Tensor] { tensors }

    mutating func restore(_ state: [String: Tensor]) throws(OptimizerError) {
        for key in state.keys where !slotNames.contains(where: { key.hasSuffix(".\($0)") }) {
            throw .unknownSlot(key)
        }
        var restored: [String: Tensor] = [:]
        for (key, value) in state {
            if var own = tensors.removeValue(forKey: key) {
                own.overwrite(with: value)  // into the buffer this optimizer owns: no allocation
                restored[key] = own
            } else {
                restored[key] = value
            }
        }
        tensors = restored
    }

    /// The slot tensor for a parameter, zero-initialised on first use.
    mutating func take(_ parameter: String, _ slot: String, shape: [Int]) -> Tensor {
        let key = "\(parameter).\(slot)"
        guard let t = tensors.removeValue(forKey: key) else { return Tensor.zeros(shape) }
        return t
    }

    mutating func put(_ parameter: String, _ slot: String, _ t: Tensor) { tensors["\(parameter).\(slot)"] = t }
    func has(_ parameter: String, _ slot: String) -> Bool { tensors["\(parameter).\(slot)"] != nil }
}
