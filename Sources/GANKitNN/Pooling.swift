import GANKitAutodiff
import GANKitTensor

// Pooling layers over `[N, C, H, W]`. The architecture file has no kind for them yet, so their
// `layerDescription` is nil and exporting a network that holds one is refused with the layer's
// name (`ArchitectureFile` reports it), rather than written wrongly.

/// PyTorch's `nn.MaxPool2d(kernel, stride, padding)` (floor rule).
public final class MaxPool2d: Module, @unchecked Sendable {
    public let kernel: Int, stride: Int, padding: Int

    public init(kernel: Int, stride: Int? = nil, padding: Int = 0) {
        self.kernel = kernel
        self.stride = stride ?? kernel
        self.padding = padding
    }

    override public func forward(_ input: Variable) -> Variable { input.maxPool2d(kernel: kernel, stride: stride, padding: padding) }
    override public func copy() -> Module { MaxPool2d(kernel: kernel, stride: stride, padding: padding) }
}

/// PyTorch's `nn.AvgPool2d(kernel, stride, padding, count_include_pad=…)` (floor rule).
public final class AvgPool2d: Module, @unchecked Sendable {
    public let kernel: Int, stride: Int, padding: Int
    /// Whether the padding's zeros count in the divisor (PyTorch's default, `true`; TensorFlow's
    /// pooling, which the FID network reproduces, does not count them).
    public let countIncludePad: Bool

    public init(kernel: Int, stride: Int? = nil, padding: Int = 0, countIncludePad: Bool = true) {
        self.kernel = kernel
        self.stride = stride ?? kernel
        self.padding = padding
        self.countIncludePad = countIncludePad
    }

    override public func forward(_ input: Variable) -> Variable {
        input.avgPool2d(kernel: kernel, stride: stride, padding: padding, countIncludePad: countIncludePad)
    }

    override public func copy() -> Module { AvgPool2d(kernel: kernel, stride: stride, padding: padding, countIncludePad: countIncludePad) }
}

/// PyTorch's `nn.AdaptiveAvgPool2d(1)`: each channel's mean, `[N, C, H, W]` → `[N, C, 1, 1]`.
public final class GlobalAvgPool2d: Module, @unchecked Sendable {
    override public init() {}
    override public func forward(_ input: Variable) -> Variable { input.adaptiveAvgPool2d() }
    override public func copy() -> Module { GlobalAvgPool2d() }
}
