import GANKitAutodiff
import GANKitTensor

/// A 2-D convolution (cross-correlation) over `[N, C, H, W]`, weight `[out, in, k, k]`.
public final class Conv2d: Module, SpectrallyNormalizable, @unchecked Sendable {
    public let weight: Parameter
    public let bias: Parameter?
    /// Set by `normalizeSpectrally(using:)`: the layer then computes with W / σ(W).
    public var spectralNormalization: SpectralNormalization?
    public let stride: Int
    public let padding: Int

    public init(inputChannels: Int, outputChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0, bias: Bool = true,
                initialization: Initialization = .pytorchDefault, using rng: inout RandomStream) {
        let fanIn = inputChannels * kernelSize * kernelSize
        weight = Parameter(initialization.weight([outputChannels, inputChannels, kernelSize, kernelSize], fanIn: fanIn, using: &rng))
        self.bias = bias ? Parameter(initialization.bias(outputChannels, fanIn: fanIn, using: &rng)) : nil
        self.stride = stride
        self.padding = padding
        super.init()
    }

    private init(copying other: Conv2d) {
        weight = Parameter(other.weight.value)
        bias = other.bias.map { Parameter($0.value) }
        spectralNormalization = other.spectralNormalization?.copy()
        stride = other.stride
        padding = other.padding
        super.init()
    }

    override public var localParameters: [(String, Parameter)] { weightAndBias }
    override public var localBuffers: [(String, Buffer)] { spectralNormalization?.namedBuffers ?? [] }

    override public func forward(_ input: Variable) -> Variable {
        let y = Variable.conv2d(input, weight: effectiveWeight, stride: stride, padding: padding)
        guard let bias else { return y }
        return y + bias.variable.reshaped([1, bias.value.count, 1, 1])
    }

    override public func copy() -> Module { Conv2d(copying: self) }

    override public var layerDescription: LayerDescription? {
        let s = weight.value.shape
        return .conv2d(inChannels: s[1], outChannels: s[0], kernelSize: s[2], stride: stride, padding: padding, bias: bias != nil)
    }
}
