import GANKitTensor

// Convolutions are composed from four linear primitives and a matrix product: unfold (im2col) and
// its adjoint fold (col2im), and the two layout changes between `[N, C, …]` and channel-major
// `[C, …·N]` (sample innermost). Each primitive's backward is the other of its pair, so the
// family is closed under differentiation (double backward for convolutional critics), and the
// graph keeps what backward passes share: conv2d's unfolded input serves its weight gradient,
// and a transposed convolution's unfolded output gradient serves both its input and weight
// gradients. DCGAN's 4×4, stride-2 layers and the text nets' kernel-5 1-D layers take a Winograd
// form instead where both sides have enough channels (WinogradOps.swift): the same composition,
// with fewer multiplications.

extension Variable {
    /// im2col: `[N, C, H, W]` → `[C·kh·kw, oh·ow·N]`.
    public static func unfold(_ x: Variable, geometry g: ConvolutionGeometry) -> Variable {
        record(Tensor.unfold(x.value, g), [x]) { h, _ in [fold(h, geometry: g)] }
    }

    /// col2im: `[C·kh·kw, oh·ow·N]` → `[N, C, H, W]`, summing overlapping patches.
    public static func fold(_ cols: Variable, geometry g: ConvolutionGeometry) -> Variable {
        record(Tensor.fold(cols.value, g), [cols]) { h, _ in [unfold(h, geometry: g)] }
    }

    /// `[N, C, …]` → `[C, ∏…·N]`, the sample innermost.
    public var channelMajor: Variable {
        let batchShape = shape
        return Variable.record(value.channelMajor, [self]) { h, _ in [h.batchMajor(batchShape)] }
    }

    /// `[C, P·N]` → `batchShape`, the inverse of `channelMajor`.
    public func batchMajor(_ batchShape: [Int]) -> Variable {
        Variable.record(value.batchMajor(batchShape), [self]) { h, _ in [h.channelMajor] }
    }

    /// Cross-correlation of `[N, C, H, W]` with `weight [O, C, kh, kw]`, without bias.
    public static func conv2d(_ x: Variable, weight: Variable, stride: Int, padding: Int,
                              algorithm: ConvolutionAlgorithm = .automatic) -> Variable {
        let g = Tensor.convolutionGeometry(input: x.shape, weight: weight.shape, stride: stride, padding: padding)
        let outChannels = weight.shape[0]
        if let w = winograd(g, outChannels: outChannels, algorithm) {
            return winogradOutput(batchedMatmul(winogradWeight(weight), winogradInput(x, w)), w)
        }
        let product = matmul(weight.reshaped([outChannels, g.patchSize]), unfold(x, geometry: g))
        return product.batchMajor([g.batch, outChannels, g.outHeight, g.outWidth])
    }

    /// 1-D cross-correlation of `[N, C, L]` with `weight [O, C, k]`, stride 1, `padding` zeros at
    /// each end, without bias: a 2-D convolution over images one row high, padded along the row.
    public static func conv1d(_ x: Variable, weight: Variable, padding: Int, algorithm: ConvolutionAlgorithm = .automatic) -> Variable {
        precondition(x.rank == 3 && weight.rank == 3, "conv1d expects [N, C, L] and [O, C, k], got \(x.shape) and \(weight.shape)")
        let (n, c, l) = (x.shape[0], x.shape[1], x.shape[2])
        let (o, k) = (weight.shape[0], weight.shape[2])
        let g = Tensor.convolutionGeometry(input: [n, c, 1, l], weight: [o, c, 1, k], stride: 1, paddingHeight: 0, paddingWidth: padding)
        if let w = winograd1D(g, outChannels: o, algorithm) {
            return winogradOutput(batchedMatmul(winogradWeight(weight, w), winogradInput(x, w)), w)
        }
        let product = matmul(weight.reshaped([o, g.patchSize]), unfold(x.reshaped([n, c, 1, l]), geometry: g))
        return product.batchMajor([n, o, 1, g.outWidth]).reshaped([n, o, g.outWidth])
    }

    /// Transposed convolution of `[N, Cin, H, W]` with `weight [Cin, Cout, kh, kw]` to `outputSize`.
    public static func convTranspose2d(_ x: Variable, weight: Variable, stride: Int, padding: Int, outputSize: (Int, Int),
                                       algorithm: ConvolutionAlgorithm = .automatic) -> Variable {
        let g = Tensor.transposedConvolutionGeometry(input: x.shape, weight: weight.shape, stride: stride, padding: padding, outputSize: outputSize)
        if let w = winograd(g, outChannels: weight.shape[0], algorithm) {
            // The adjoint of the convolution from the output image back to x.
            return winogradInputAdjoint(batchedMatmul(winogradWeight(weight), winogradOutputAdjoint(x, w), transposeA: true), w)
        }
        let cols = matmul(weight.reshaped([weight.shape[0], g.patchSize]), x.channelMajor, transposeA: true)
        return fold(cols, geometry: g)
    }

    /// The Winograd geometry when `algorithm` asks for it (and the geometry has it), or when it is
    /// automatic and the Winograd form pays for this layer.
    static func winograd(_ g: ConvolutionGeometry, outChannels: Int, _ algorithm: ConvolutionAlgorithm) -> WinogradGeometry? {
        switch algorithm {
        case .unfold: return nil
        case .winograd:
            guard let w = WinogradGeometry(g) else { preconditionFailure("the Winograd form needs a 4×4 kernel, stride 2 and padding 1: \(g)") }
            return w
        case .automatic:
            return WinogradGeometry(g).flatMap { $0.pays(outChannels: outChannels) ? $0 : nil }
        }
    }

    /// The 1-D Winograd geometry, chosen as `winograd(_:outChannels:_:)` chooses the 2-D one.
    static func winograd1D(_ g: ConvolutionGeometry, outChannels: Int, _ algorithm: ConvolutionAlgorithm) -> Winograd1DGeometry? {
        switch algorithm {
        case .unfold: return nil
        case .winograd:
            guard let w = Winograd1DGeometry(g) else { preconditionFailure("the 1-D Winograd form needs 2 to 7 taps: \(g)") }
            return w
        case .automatic:
            return Winograd1DGeometry(g).flatMap { $0.pays(outChannels: outChannels) ? $0 : nil }
        }
    }
}
