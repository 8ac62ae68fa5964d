import GANKitTensor

// Three primitives close the convolution family under differentiation: conv2d, its adjoint
// convTranspose2d, and the weight gradient conv2dWeightGradient. Each one's backward is written
// with the other two, so convolutional critics support double backward (WGAN-GP on DCGAN).

extension Variable {
    /// Cross-correlation of `[N, C, H, W]` with `weight [O, C, kh, kw]`, without bias.
    public static func conv2d(_ x: Variable, weight: Variable, stride: Int, padding: Int) -> Variable {
        let inputSize = (x.shape[2], x.shape[3])
        let kernel = (weight.shape[2], weight.shape[3])
        return record(Tensor.conv2d(x.value, weight.value, stride: stride, padding: padding), [x, weight]) { g, needed in
            [needed[0] ? convTranspose2d(g, weight: weight, stride: stride, padding: padding, outputSize: inputSize) : nil,
             needed[1] ? conv2dWeightGradient(x, g, stride: stride, padding: padding, kernelSize: kernel) : nil]
        }
    }

    /// Transposed convolution of `[N, Cin, H, W]` with `weight [Cin, Cout, kh, kw]` to `outputSize`.
    public static func convTranspose2d(_ x: Variable, weight: Variable, stride: Int, padding: Int, outputSize: (Int, Int)) -> Variable {
        let kernel = (weight.shape[2], weight.shape[3])
        let out = Tensor.convTranspose2d(x.value, weight.value, stride: stride, padding: padding, outputSize: outputSize)
        return record(out, [x, weight]) { g, needed in
            // ⟨convT(x, W), g⟩ = ⟨x, conv2d(g, W)⟩: the weight gradient is conv2d's with roles swapped.
            [needed[0] ? conv2d(g, weight: weight, stride: stride, padding: padding) : nil,
             needed[1] ? conv2dWeightGradient(g, x, stride: stride, padding: padding, kernelSize: kernel) : nil]
        }
    }

    /// ∂⟨conv2d(x, W), g⟩/∂W, bilinear in `x` and `g`.
    public static func conv2dWeightGradient(_ x: Variable, _ g: Variable, stride: Int, padding: Int, kernelSize: (Int, Int)) -> Variable {
        let inputSize = (x.shape[2], x.shape[3])
        let out = Tensor.conv2dWeightGradient(x.value, g.value, stride: stride, padding: padding, kernelSize: kernelSize)
        return record(out, [x, g]) { h, needed in
            // ⟨dW(x, g), H⟩ = ⟨conv2d(x, H), g⟩ = ⟨x, convT(g, H)⟩
            [needed[0] ? convTranspose2d(g, weight: h, stride: stride, padding: padding, outputSize: inputSize) : nil,
             needed[1] ? conv2d(x, weight: h, stride: stride, padding: padding) : nil]
        }
    }
}
