import GANKitAutodiff
import GANKitTensor

/// A transposed 2-D convolution, weight `[in, out, k, k]` (PyTorch's layout); the output is
/// `(H − 1)·stride − 2·padding + k + outputPadding` high and wide.
public final class ConvTranspose2d: Module, @unchecked Sendable {
    public let weight: Parameter
    public let bias: Parameter?
    public let stride: Int
    public let padding: Int
    public let outputPadding: Int

    public init(inputChannels: Int, outputChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0, outputPadding: Int = 0,
                bias: Bool = true, initialization: Initialization = .pytorchDefault, using rng: inout RandomStream) {
        precondition(outputPadding < max(stride, 1), "output padding must be smaller than the stride")
        // PyTorch computes fan-in from weight.size(1) · k · k for transposed convolutions.
        let fanIn = outputChannels * kernelSize * kernelSize
        weight = Parameter(initialization.weight([inputChannels, outputChannels, kernelSize, kernelSize], fanIn: fanIn, using: &rng))
        self.bias = bias ? Parameter(initialization.bias(outputChannels, fanIn: fanIn, using: &rng)) : nil
        self.stride = stride
        self.padding = padding
        self.outputPadding = outputPadding
        super.init()
    }

    private init(copying other: ConvTranspose2d) {
        weight = Parameter(other.weight.value)
        bias = other.bias.map { Parameter($0.value) }
        stride = other.stride
        padding = other.padding
        outputPadding = other.outputPadding
        super.init()
    }

    override public var localParameters: [(String, Parameter)] {
        bias.map { [("weight", weight), ("bias", $0)] } ?? [("weight", weight)]
    }

    public func outputSize(height: Int, width: Int) -> (Int, Int) {
        let k = weight.value.shape[2]
        return ((height - 1) * stride - 2 * padding + k + outputPadding, (width - 1) * stride - 2 * padding + k + outputPadding)
    }

    override public func forward(_ input: Variable) -> Variable {
        let size = outputSize(height: input.shape[2], width: input.shape[3])
        let y = Variable.convTranspose2d(input, weight: weight.variable, stride: stride, padding: padding, outputSize: size)
        guard let bias else { return y }
        return y + bias.variable.reshaped([1, bias.value.count, 1, 1])
    }

    override public func copy() -> Module { ConvTranspose2d(copying: self) }

    override public var layerDescription: LayerDescription? {
        let s = weight.value.shape
        return .convTranspose2d(inChannels: s[0], outChannels: s[1], kernelSize: s[2], stride: stride, padding: padding,
                                outputPadding: outputPadding, bias: bias != nil)
    }
}
