import GANKitTensor
import GANKitTestSupport
import Testing

/// The Winograd form of 4×4, stride-2, padding-1 convolutions: each transform against its adjoint,
/// and the whole convolution against unfold (im2col) on even and odd sizes.
struct WinogradTests {
    static func random(_ shape: [Int], seed: UInt64) -> Tensor {
        var rng = RandomStream(seed: seed)
        return Tensor.uniform(shape, low: -1, high: 1, using: &rng)
    }

    static func dot(_ a: Tensor, _ b: Tensor) -> Double {
        zip(a.scalars, b.scalars).reduce(0) { $0 + Double($1.0) * Double($1.1) }
    }

    /// ⟨L x, y⟩ = ⟨x, Lᵀ y⟩ to float rounding.
    static func expectAdjoint(_ label: String, _ forward: (Tensor) -> Tensor, _ adjoint: (Tensor) -> Tensor, input: [Int], output: [Int]) {
        let x = random(input, seed: 1), y = random(output, seed: 2)
        let fx = forward(x), ay = adjoint(y)
        #expect(fx.shape == output && ay.shape == input, "\(label): shapes \(fx.shape), \(ay.shape)")
        let (left, right) = (dot(fx, y), dot(x, ay))
        #expect(abs(left - right) <= 1e-4 * max(1, abs(left)), "\(label): ⟨Lx, y⟩ = \(left), ⟨x, Lᵀy⟩ = \(right)")
    }

    static let geometries: [ConvolutionGeometry] = [
        ConvolutionGeometry(batch: 3, channels: 2, inHeight: 8, inWidth: 8, kernelHeight: 4, kernelWidth: 4, stride: 2, padding: 1),
        ConvolutionGeometry(batch: 2, channels: 3, inHeight: 14, inWidth: 14, kernelHeight: 4, kernelWidth: 4, stride: 2, padding: 1),  // 7×7 out
        ConvolutionGeometry(batch: 70, channels: 1, inHeight: 5, inWidth: 6, kernelHeight: 4, kernelWidth: 4, stride: 2, padding: 1),   // N past a block
        // A transposed convolution with output padding 1 reads this one backwards: 7×7 image, 3×3 output.
        ConvolutionGeometry(batch: 2, channels: 2, inHeight: 7, inWidth: 7, kernelHeight: 4, kernelWidth: 4, stride: 2, padding: 1, outHeight: 3, outWidth: 3),
    ]

    @Test(arguments: geometries)
    func everyTransformIsTheAdjointOfItsPair(_ g: ConvolutionGeometry) throws {
        let w = try #require(WinogradGeometry(g))
        let image = [g.batch, g.channels, g.inHeight, g.inWidth]
        Self.expectAdjoint("input", { Tensor.winogradInput($0, w) }, { Tensor.winogradInputAdjoint($0, w) },
                           input: image, output: [9, w.phaseChannels, w.columns])
        let out = [g.batch, 5, g.outHeight, g.outWidth]
        Self.expectAdjoint("output", { Tensor.winogradOutputAdjoint($0, w) }, { Tensor.winogradOutput($0, w) },
                           input: out, output: [9, 5, w.columns])
        Self.expectAdjoint("weight", { Tensor.winogradWeight($0) }, { Tensor.winogradWeightAdjoint($0) },
                           input: [5, g.channels, 4, 4], output: [9, 5, 4 * g.channels])
    }

    @Test(arguments: geometries)
    func convolutionEqualsUnfoldAndGEMM(_ g: ConvolutionGeometry) throws {
        let w = try #require(WinogradGeometry(g))
        let x = Self.random([g.batch, g.channels, g.inHeight, g.inWidth], seed: 3), weight = Self.random([5, g.channels, 4, 4], seed: 4)
        let direct = Tensor.matmul(weight.reshaped([5, g.patchSize]), Tensor.unfold(x, g)).batchMajor([g.batch, 5, g.outHeight, g.outWidth])
        let products = Tensor.batchedMatmul(Tensor.winogradWeight(weight), Tensor.winogradInput(x, w))
        let winograd = Tensor.winogradOutput(products, w)
        #expect(winograd.shape == direct.shape)
        if let v = maxViolation(winograd, direct, rtol: 1e-5, atol: 1e-5) { Issue.record("\(g): \(v)") }
    }

    @Test func onlyTheDCGANGeometryHasAWinogradForm() {
        let dcgan = ConvolutionGeometry(batch: 1, channels: 1, inHeight: 8, inWidth: 8, kernelHeight: 4, kernelWidth: 4, stride: 2, padding: 1)
        #expect(WinogradGeometry(dcgan) != nil)
        var other = dcgan
        other.stride = 1
        #expect(WinogradGeometry(other) == nil)
        other = dcgan
        other.paddingWidth = 0
        #expect(WinogradGeometry(other) == nil)
        other = dcgan
        other.kernelHeight = 3
        #expect(WinogradGeometry(other) == nil)
    }

    @Test func batchedProductIsOneGEMMPerBatch() {
        let a = Self.random([3, 4, 5], seed: 5), b = Self.random([3, 6, 5], seed: 6)
        let c = Tensor.batchedMatmul(a, b, transposeB: true)
        #expect(c.shape == [3, 4, 6])
        for i in 0..<3 {
            let ai = Tensor(shape: [4, 5], values: Array(a.scalars[(i * 20)..<(i * 20 + 20)]))
            let bi = Tensor(shape: [6, 5], values: Array(b.scalars[(i * 30)..<(i * 30 + 30)]))
            let expected = Tensor.matmul(ai, bi, transposeB: true)
            #expect(Array(c.scalars[(i * 24)..<(i * 24 + 24)]) == expected.scalars)
        }
    }
}
