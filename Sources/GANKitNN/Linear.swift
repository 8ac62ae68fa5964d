import GANKitAutodiff
import GANKitTensor

/// A fully connected layer `y = x·Wᵀ + b`, with PyTorch's weight layout `[out, in]`.
public final class Linear: Module, @unchecked Sendable {
    public let weight: Parameter
    public let bias: Parameter?

    public init(inputSize: Int, outputSize: Int, bias: Bool = true, initialization: Initialization = .pytorchDefault, using rng: inout RandomStream) {
        weight = Parameter(initialization.weight([outputSize, inputSize], fanIn: inputSize, using: &rng))
        self.bias = bias ? Parameter(initialization.bias(outputSize, fanIn: inputSize, using: &rng)) : nil
        super.init()
    }

    private init(copying other: Linear) {
        weight = Parameter(other.weight.value)
        bias = other.bias.map { Parameter($0.value) }
        super.init()
    }

    public var inputSize: Int { weight.value.shape[1] }
    public var outputSize: Int { weight.value.shape[0] }
    override public var layerDescription: LayerDescription? {
        .linear(inFeatures: inputSize, outFeatures: outputSize, bias: bias != nil)
    }

    override public var localParameters: [(String, Parameter)] {
        bias.map { [("weight", weight), ("bias", $0)] } ?? [("weight", weight)]
    }

    override public func forward(_ input: Variable) -> Variable {
        Variable.linear(input, weight: weight.variable, bias: bias?.variable)
    }

    override public func copy() -> Module { Linear(copying: self) }
}
