import GANKitTensor

/// A node of the computation graph: a tensor value and, when it depends on something that needs a
/// gradient, the rule that sends a gradient back to its inputs.
///
/// Backward rules are written with the same differentiable operations as forward code, so a
/// gradient computed with `createGraph: true` is itself a graph that can be differentiated again
/// (double backward: WGAN-GP's and DRAGAN's penalties on ‖∇ₓD(x)‖).
public final class Variable: @unchecked Sendable {
    /// Given the gradient of the output and which inputs need a gradient, returns one gradient per
    /// input (nil where not needed). Rules skip the work for inputs nobody asked about.
    public typealias BackwardRule = (_ upstream: Variable, _ needed: [Bool]) -> [Variable?]

    public let value: Tensor
    /// True for leaves that ask for gradients (parameters, penalty inputs) and for every result that
    /// depends on one while recording.
    public let requiresGradient: Bool
    let inputs: [Variable]
    let backward: BackwardRule?

    /// A leaf: a constant (`requiresGradient: false`) or a value to differentiate with respect to.
    public init(_ value: Tensor, requiresGradient: Bool = false) {
        self.value = value
        self.requiresGradient = requiresGradient
        self.inputs = []
        self.backward = nil
    }

    init(value: Tensor, inputs: [Variable], backward: @escaping BackwardRule) {
        self.value = value
        self.requiresGradient = true
        self.inputs = inputs
        self.backward = backward
    }

    public var shape: [Int] { value.shape }
    public var rank: Int { value.rank }
    public var isLeaf: Bool { backward == nil }

    /// The same value, cut from the graph (PyTorch's `detach()`).
    public var detached: Variable { requiresGradient ? Variable(value) : self }

    /// Records an operation's result: a graph node when recording and some input needs a
    /// gradient, a constant otherwise (so inference and plain backward build no graph).
    @inline(__always)
    public static func record(_ value: Tensor, _ inputs: [Variable], backward: @escaping BackwardRule) -> Variable {
        if Autodiff.isRecording, inputs.contains(where: \.requiresGradient) {
            return Variable(value: value, inputs: inputs, backward: backward)
        }
        return Variable(value)
    }
}

/// Whether operations record a graph, per thread (each SGAN worker has its own).
public enum Autodiff {
    @TaskLocal public static var isRecording = true

    /// Runs `body` without recording: results are constants (inference, fake samples for D's step).
    public static func withoutRecording<R>(_ body: () throws -> R) rethrows -> R {
        try $isRecording.withValue(false, operation: body)
    }

    static func recording<R>(_ enabled: Bool, _ body: () throws -> R) rethrows -> R {
        if isRecording == enabled { return try body() }
        return try $isRecording.withValue(enabled, operation: body)
    }
}
