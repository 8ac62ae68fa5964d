import GANKitAutodiff
import GANKitTensor

/// The elementwise nonlinearities a network can use between layers.
public enum Activation: Sendable, Equatable, Hashable, Codable {
    case relu
    case leakyReLU(slope: Float)
    case tanh
    case sigmoid
    case identity

    public func apply(_ x: Variable) -> Variable {
        switch self {
        case .relu: x.relu()
        case .leakyReLU(let slope): x.leakyReLU(slope: slope)
        case .tanh: x.tanh()
        case .sigmoid: x.sigmoid()
        case .identity: x
        }
    }
}

/// An activation as a layer of a `Sequential`.
public final class ActivationLayer: Module, @unchecked Sendable {
    public let activation: Activation
    public init(_ activation: Activation) { self.activation = activation }
    override public func forward(_ input: Variable) -> Variable { activation.apply(input) }
    override public func copy() -> Module { ActivationLayer(activation) }
    override public var layerDescription: LayerDescription? {
        switch activation {
        case .relu: .relu
        case .leakyReLU(let slope): .leakyReLU(slope: slope)
        case .tanh: .tanh
        case .sigmoid: .sigmoid
        case .identity: .identity
        }
    }
}

/// Reshapes each sample: `[N, …] → [N] + shape` (Flatten is `Reshape([-1])`).
public final class Reshape: Module, @unchecked Sendable {
    public let sampleShape: [Int]
    public init(_ sampleShape: [Int]) { self.sampleShape = sampleShape }
    public static func flatten() -> Reshape { Reshape([-1]) }
    override public func forward(_ input: Variable) -> Variable { input.reshaped([input.shape[0]] + sampleShape) }
    override public func copy() -> Module { Reshape(sampleShape) }
    override public var layerDescription: LayerDescription? { .reshape(shape: sampleShape) }
}

/// Layers applied in order; children are named "0", "1", … as in PyTorch's nn.Sequential.
public final class Sequential: Module, @unchecked Sendable {
    public let layers: [Module]

    public init(_ layers: [Module]) { self.layers = layers }
    public convenience init(@SequentialBuilder _ build: () -> [Module]) { self.init(build()) }

    override public var children: [(String, Module)] { layers.enumerated().map { ("\($0.offset)", $0.element) } }

    override public func forward(_ input: Variable) -> Variable {
        layers.reduce(input) { $1.forward($0) }
    }

    override public func copy() -> Module {
        let c = Sequential(layers.map { $0.copy() })
        c.setTraining(isTraining)
        return c
    }
}

@resultBuilder
public enum SequentialBuilder {
    public static func buildExpression(_ m: Module) -> [Module] { [m] }
    public static func buildExpression(_ ms: [Module]) -> [Module] { ms }
    public static func buildBlock(_ parts: [Module]...) -> [Module] { parts.flatMap { $0 } }
    public static func buildArray(_ parts: [[Module]]) -> [Module] { parts.flatMap { $0 } }
    public static func buildOptional(_ part: [Module]?) -> [Module] { part ?? [] }
    public static func buildEither(first: [Module]) -> [Module] { first }
    public static func buildEither(second: [Module]) -> [Module] { second }
}
