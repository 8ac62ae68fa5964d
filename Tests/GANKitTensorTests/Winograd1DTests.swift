import GANKitTensor
import GANKitTestSupport
import Testing

/// The Toom–Cook (Winograd) form of stride-1 1-D convolutions: its matrices against the
/// correlation they stand for, each transform against its adjoint, and the whole convolution
/// against unfold (im2col) with whole and partial tiles.
struct Winograd1DTests {
    static func geometry(batch: Int, channels: Int, length: Int, taps: Int, padding: Int) -> ConvolutionGeometry {
        ConvolutionGeometry(batch: batch, channels: channels, inHeight: 1, inWidth: length, kernelHeight: 1, kernelWidth: taps,
                            stride: 1, paddingHeight: 0, paddingWidth: padding)
    }

    /// Aᵀ[(G g) ⊙ (Bᵀ d)] = (Σ_k g_k d_{i+k})_i for every F(m, r) with at most 8 points.
    @Test(arguments: 2...7)
    func matricesComputeTheCorrelation(_ taps: Int) throws {
        for m in 1...(Winograd1DGeometry.maximumPoints + 1 - taps) {
            let w = try #require(Winograd1DGeometry(Self.geometry(batch: 1, channels: 1, length: m + taps - 1, taps: taps, padding: 0),
                                                    outputsPerTile: m))
            let p = w.points
            #expect(p == m + taps - 1)
            var rng = RandomStream(seed: UInt64(10 * taps + m))
            let g = (0..<taps).map { _ in Double(rng.nextUniform() * 2 - 1) }, d = (0..<p).map { _ in Double(rng.nextUniform() * 2 - 1) }
            let u = (0..<p).map { i in (0..<taps).reduce(0.0) { $0 + Double(w.kernelTransform[i * taps + $1]) * g[$1] } }
            let v = (0..<p).map { i in (0..<p).reduce(0.0) { $0 + Double(w.inputTransform[i * p + $1]) * d[$1] } }
            for i in 0..<m {
                let winograd = (0..<p).reduce(0.0) { $0 + Double(w.outputTransform[i * p + $1]) * u[$1] * v[$1] }
                let direct = (0..<taps).reduce(0.0) { $0 + g[$1] * d[i + $1] }
                #expect(abs(winograd - direct) <= 1e-5, "F(\(m), \(taps)) output \(i): \(winograd) vs \(direct)")
            }
        }
    }

    static let geometries: [ConvolutionGeometry] = [
        geometry(batch: 2, channels: 3, length: 7, taps: 5, padding: 2),    // F(4, 5), a partial last tile
        geometry(batch: 3, channels: 4, length: 32, taps: 5, padding: 2),   // the text nets' layer
        geometry(batch: 70, channels: 2, length: 11, taps: 3, padding: 1),  // F(6, 3), N past a block
        geometry(batch: 2, channels: 3, length: 9, taps: 7, padding: 0),    // F(2, 7), no padding
        geometry(batch: 2, channels: 2, length: 4, taps: 2, padding: 3),    // padding wider than the kernel
    ]

    @Test(arguments: geometries)
    func everyTransformIsTheAdjointOfItsPair(_ g: ConvolutionGeometry) throws {
        let w = try #require(Winograd1DGeometry(g))
        WinogradTests.expectAdjoint("input", { Tensor.winogradInput($0, w) }, { Tensor.winogradInputAdjoint($0, w) },
                                    input: [g.batch, g.channels, g.inWidth], output: [w.points, g.channels, w.columns])
        WinogradTests.expectAdjoint("output", { Tensor.winogradOutputAdjoint($0, w) }, { Tensor.winogradOutput($0, w) },
                                    input: [g.batch, 5, g.outWidth], output: [w.points, 5, w.columns])
        WinogradTests.expectAdjoint("weight", { Tensor.winogradWeight($0, w) }, { Tensor.winogradWeightAdjoint($0, w) },
                                    input: [5, g.channels, g.kernelWidth], output: [w.points, 5, g.channels])
    }

    @Test(arguments: geometries)
    func convolutionEqualsUnfoldAndGEMM(_ g: ConvolutionGeometry) throws {
        for m in [nil, 2] as [Int?] {
            let w = try #require(Winograd1DGeometry(g, outputsPerTile: m))
            let x = WinogradTests.random([g.batch, g.channels, g.inWidth], seed: 3)
            let weight = WinogradTests.random([5, g.channels, g.kernelWidth], seed: 4)
            let direct = Tensor.matmul(weight.reshaped([5, g.patchSize]), Tensor.unfold(x.reshaped([g.batch, g.channels, 1, g.inWidth]), g))
                .batchMajor([g.batch, 5, 1, g.outWidth]).reshaped([g.batch, 5, g.outWidth])
            let winograd = Tensor.winogradOutput(Tensor.batchedMatmul(Tensor.winogradWeight(weight, w), Tensor.winogradInput(x, w)), w)
            #expect(winograd.shape == direct.shape)
            if let v = maxViolation(winograd, direct, rtol: 1e-5, atol: 1e-5) { Issue.record("\(g), m = \(w.outputsPerTile): \(v)") }
        }
    }

    @Test func onlyStrideOneRowsWithTwoToSevenTapsHaveAForm() {
        let text = Self.geometry(batch: 1, channels: 1, length: 8, taps: 5, padding: 2)
        #expect(Winograd1DGeometry(text)?.outputsPerTile == 4)
        #expect(Winograd1DGeometry(Self.geometry(batch: 1, channels: 1, length: 8, taps: 3, padding: 1))?.outputsPerTile == 6)
        #expect(Winograd1DGeometry(Self.geometry(batch: 1, channels: 1, length: 8, taps: 1, padding: 0)) == nil)
        #expect(Winograd1DGeometry(Self.geometry(batch: 1, channels: 1, length: 9, taps: 8, padding: 0)) == nil)
        #expect(Winograd1DGeometry(text, outputsPerTile: 5) == nil, "9 points are more than the form uses")
        var strided = text
        strided.stride = 2
        #expect(Winograd1DGeometry(strided) == nil)
        let image = ConvolutionGeometry(batch: 1, channels: 1, inHeight: 8, inWidth: 8, kernelHeight: 5, kernelWidth: 5, stride: 1, padding: 2)
        #expect(Winograd1DGeometry(image) == nil)
    }
}

extension Winograd1DTests {
    /// Fewer multiplications, but through transforms with entries well beyond ±1: the form's rounding
    /// error against a double-precision reference stays within a few times unfold's (measured on
    /// a 128-channel text layer: relative RMS 2.2·10⁻⁷ unfold, 7.8·10⁻⁷ F(4, 5)).
    @Test func roundingErrorStaysNearUnfolds() throws {
        let (n, c, l, o, k) = (4, 64, 32, 32, 5)
        let g = Self.geometry(batch: n, channels: c, length: l, taps: k, padding: 2)
        var rng = RandomStream(seed: 9)
        let x = Tensor.normal([n, c, l], using: &rng).map { max($0, 0) }
        let bound = 1 / Float(c * k).squareRoot()
        let weight = Tensor.uniform([o, c, k], low: -bound, high: bound, using: &rng)
        let (xs, ws) = (x.scalars, weight.scalars)
        var reference = [Double](repeating: 0, count: n * o * l)
        for b in 0..<n {
            for out in 0..<o {
                for i in 0..<l {
                    var sum = 0.0
                    for ch in 0..<c {
                        for t in 0..<k where (0..<l).contains(i + t - 2) {
                            sum += Double(ws[(out * c + ch) * k + t]) * Double(xs[(b * c + ch) * l + i + t - 2])
                        }
                    }
                    reference[(b * o + out) * l + i] = sum
                }
            }
        }
        func relativeRMSError(_ y: Tensor) -> Double {
            let error = zip(y.scalars, reference).reduce(0.0) { $0 + (Double($1.0) - $1.1) * (Double($1.0) - $1.1) }
            return (error / reference.reduce(0.0) { $0 + $1 * $1 }).squareRoot()
        }
        let unfold = Tensor.matmul(weight.reshaped([o, g.patchSize]), Tensor.unfold(x.reshaped([n, c, 1, l]), g))
            .batchMajor([n, o, 1, l]).reshaped([n, o, l])
        let w = try #require(Winograd1DGeometry(g))
        let winograd = Tensor.winogradOutput(Tensor.batchedMatmul(Tensor.winogradWeight(weight, w), Tensor.winogradInput(x, w)), w)
        let (unfoldError, winogradError) = (relativeRMSError(unfold), relativeRMSError(winograd))
        #expect(unfoldError < 1e-6)
        #expect(winogradError < 2e-6 && winogradError < 8 * unfoldError, "F(4, 5): \(winogradError), unfold: \(unfoldError)")
    }
}
