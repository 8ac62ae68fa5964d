import GANKitAutodiff
import GANKitTensor

/// A fully connected layer `y = x·Wᵀ + b`, with PyTorch's weight layout `[out, in]`.
public final class Linear: Module, SpectrallyNormalizable, @unchecked Sendable {
    public let weight: Parameter
    public let bias: Parameter?
    /// Set by `normalizeSpectrally(using:)`: the layer then computes with W / σ(W).
    public var spectralNormalization: SpectralNormalization?

    public init(inputSize: Int, outputSize: Int, bias: Bool = true, initialization: Initialization = .pytorchDefault, using rng: inout RandomStream) {
        weight = Parameter(initialization.weight([outputSize, inputSize], fanIn: inputSize, using: &rng))
        self.bias = bias ? Parameter(initialization.bias(outputSize, fanIn: inputSize, using: &rng)) : nil
        super.init()
    }

    private init(copying other: Linear) {
        weight = Parameter(other.weight.value)
        bias = other.bias.map { Parameter($0.value) }
        spectralNormalization = other.spectralNormalization?.copy()
        super.init()
    }

    public var inputSize: Int { weight.value.shape[1] }
    public var outputSize: Int { weight.value.shape[0] }
    override public var layerDescription: LayerDescription? {
        .linear(inFeatures: inputSize, outFeatures: outputSize, bias: bias != nil)
    }

    override public var localParameters: [(String, Parameter)] { weightAndBias }
    override public var localBuffers: [(String, Buffer)] { spectralNormalization?.namedBuffers ?? [] }

    override public func forward(_ input: Variable) -> Variable {
        Variable.linear(input, weight: effectiveWeight, bias: bias?.variable)
    }

    override public func copy() -> Module { Linear(copying: self) }
}
