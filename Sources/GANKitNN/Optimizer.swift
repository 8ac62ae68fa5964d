import GANKitTensor

/// Updates a module's parameters from their gradients, keeping per-parameter state by name.
///
/// Optimizers are values: assigning one copies its state (copy-on-write tensors), which is how
/// SGAN's messengers start from their discriminator's optimizer state. `state` exposes every
/// tensor by a stable name for checkpoints.
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

/// Shared bookkeeping: slots of per-parameter tensors created on first use.
struct OptimizerSlots: Sendable {
    var tensors: [String: Tensor] = [:]
    let slotNames: [String]

    var state: [String: Tensor] { tensors }

    mutating func restore(_ state: [String: Tensor]) throws(OptimizerError) {
        for key in state.keys where !slotNames.contains(where: { key.hasSuffix(".\($0)") }) {
            throw .unknownSlot(key)
        }
        tensors = state
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
