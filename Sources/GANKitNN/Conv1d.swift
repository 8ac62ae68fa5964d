import GANKitAutodiff
import GANKitTensor

/// A 1-D convolution (cross-correlation) over `[N, C, L]`, stride 1, weight `[out, in, k]`
/// (PyTorch's `nn.Conv2d`'s 1-D sibling): the layers of a character-level GAN, which convolve
/// along the sequence with the vocabulary or features as channels.
public final class Conv1d: Module, SpectrallyNormalizable, @unchecked Sendable {
    public let weight: Parameter
    public let bias: Parameter?
    /// Set by `normalizeSpectrally(using:)`: the layer then computes with W / σ(W).
    public var spectralNormalization: SpectralNormalization?
    public let padding: Int

    public init(inputChannels: Int, outputChannels: Int, kernelSize: Int, padding: Int = 0, bias: Bool = true,
                initialization: Initialization = .pytorchDefault, using rng: inout RandomStream) {
        let fanIn = inputChannels * kernelSize
        weight = Parameter(initialization.weight([outputChannels, inputChannels, kernelSize], fanIn: fanIn, using: &rng))
        self.bias = bias ? Parameter(initialization.bias(outputChannels, fanIn: fanIn, using: &rng)) : nil
        self.padding = padding
        super.init()
    }

    private init(copying other: Conv1d) {
        weight = Parameter(other.weight.value)
        bias = other.bias.map { Parameter($0.value) }
        spectralNormalization = other.spectralNormalization?.copy()
        padding = other.padding
        super.init()
    }

    override public var localParameters: [(String, Parameter)] { weightAndBias }
    override public var localBuffers: [(String, Buffer)] { spectralNormalization?.namedBuffers ?? [] }

    override public func forward(_ input: Variable) -> Variable {
        let y = Variable.conv1d(input, weight: effectiveWeight, padding: padding)
        guard let bias else { return y }
        return y + bias.variable.reshaped([1, bias.value.count, 1])
    }

    override public func copy() -> Module { Conv1d(copying: self) }

    override public var layerDescription: LayerDescription? {
        let s = weight.value.shape
        return .conv1d(inChannels: s[1], outChannels: s[0], kernelSize: s[2], padding: padding, bias: bias != nil)
    }
}

/// Softmax over one axis of each sample (axis 0: the channels): a character GAN's generator ends
/// in a distribution over the vocabulary at every position.
public final class Softmax: Module, @unchecked Sendable {
    /// The axis of one sample, without the batch axis.
    public let axis: Int
    public init(axis: Int) { self.axis = axis }
    override public func forward(_ input: Variable) -> Variable { input.softmax(axis: axis + 1) }
    override public func copy() -> Module { Softmax(axis: axis) }
    override public var layerDescription: LayerDescription? { .softmax(axis: axis) }
}

/// `x + scale · body(x)`: the residual block of WGAN-GP's language model (ReLU, conv, ReLU, conv,
/// scaled by 0.3). The body is child `body`, so its tensors are named `body.1.weight`, ….
public final class Residual: Module, @unchecked Sendable {
    public let body: Sequential
    public let scale: Float

    public init(_ body: Sequential, scale: Float) {
        self.body = body
        self.scale = scale
    }

    override public var children: [(String, Module)] { [("body", body)] }
    override public func forward(_ input: Variable) -> Variable { input + body(input) * scale }

    override public func copy() -> Module {
        let c = Residual(body.copy() as! Sequential, scale: scale)
        c.setTraining(isTraining)
        return c
    }

    override public var layerDescription: LayerDescription? {
        let layers = body.layers.compactMap(\.layerDescription)
        return layers.count == body.layers.count ? .residual(scale: scale, body: layers) : nil
    }
}
