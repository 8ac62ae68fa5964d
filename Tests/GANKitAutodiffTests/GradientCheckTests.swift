import GANKitAutodiff
import GANKitTensor
import Testing

/// Finite-difference checks of every differentiable operation, first and second order.
struct GradientCheckTests {
    /// Compares analytic gradients of `sum(f(inputs) · r)` (r random, fixed) with central
    /// differences on every element of every input.
    static func check(_ label: String, _ inputs: [Tensor], step: Float = 1e-2, tolerance: Float = 2e-2,
                      _ f: @escaping ([Variable]) -> Variable) {
        var rng = RandomStream(seed: 99)
        let probe = f(inputs.map { Variable($0) }).value
        let weights = Tensor.normal(probe.shape, using: &rng)
        func objective(_ xs: [Tensor]) -> Float {
            (f(xs.map { Variable($0) }).value * weights).sum().scalar  // recording on: f may take gradients itself
        }
        let vars = inputs.map { Variable($0, requiresGradient: true) }
        let out = f(vars)
        let analytic = Autodiff.gradients(of: out, wrt: vars, seed: weights).map(\.value)
        for (k, input) in inputs.enumerated() {
            for i in 0..<input.count {
                var plus = inputs, minus = inputs
                plus[k].withUnsafeMutableBufferPointer { $0[i] += step }
                minus[k].withUnsafeMutableBufferPointer { $0[i] -= step }
                let numeric = (objective(plus) - objective(minus)) / (2 * step)
                let a = analytic[k].scalars[i]
                let scale = max(1, abs(numeric), abs(a))
                if abs(a - numeric) > tolerance * scale {
                    Issue.record("\(label): input \(k) element \(i): analytic \(a), numeric \(numeric)")
                    return
                }
            }
        }
    }

    static func random(_ shape: [Int], seed: UInt64, low: Float = -1, high: Float = 1) -> Tensor {
        var rng = RandomStream(seed: seed)
        return Tensor.uniform(shape, low: low, high: high, using: &rng)
    }

    /// Values kept away from 0, where piecewise-linear functions have a kink.
    static func awayFromZero(_ shape: [Int], seed: UInt64) -> Tensor {
        random(shape, seed: seed).map { $0 >= 0 ? $0 + 0.1 : $0 - 0.1 }
    }

    @Test func arithmeticWithBroadcasting() {
        let a = Self.random([3, 4], seed: 1), b = Self.random([4], seed: 2), c = Self.random([3, 1], seed: 3, low: 0.5, high: 2)
        Self.check("add", [a, b]) { $0[0] + $0[1] }
        Self.check("sub", [a, c]) { $0[0] - $0[1] }
        Self.check("mul", [a, b]) { $0[0] * $0[1] }
        Self.check("div", [a, c]) { $0[0] / $0[1] }
        Self.check("neg and scalars", [a]) { -($0[0] * 3 + 1) / 2 }
        Self.check("broadcast", [b]) { $0[0].broadcast(to: [2, 3, 4]) }
        Self.check("summed to shape", [a]) { $0[0].summed(toShape: [1, 4]) }
    }

    @Test func reductionsAndShapes() {
        let a = Self.random([2, 3, 4], seed: 4)
        Self.check("sum all", [a]) { $0[0].sum() }
        Self.check("sum axes", [a]) { $0[0].sum(axes: [0, 2]) }
        Self.check("mean keep", [a]) { $0[0].mean(axes: [1], keepingDimensions: true) }
        Self.check("reshape", [a]) { $0[0].reshaped([6, 4]) }
        Self.check("permute", [a]) { $0[0].permuted([2, 0, 1]) }
        Self.check("concatenate", [a, Self.random([2, 1, 4], seed: 5)]) { Variable.concatenate([$0[0], $0[1]], axis: 1) }
        Self.check("slice", [a]) { $0[0].slice(axis: 2, 1..<3) }
    }

    @Test func matrixProducts() {
        let a = Self.random([3, 4], seed: 6), b = Self.random([4, 5], seed: 7)
        Self.check("matmul", [a, b]) { Variable.matmul($0[0], $0[1]) }
        Self.check("matmul Aᵀ", [a.transposed, b]) { Variable.matmul($0[0], $0[1], transposeA: true) }
        Self.check("matmul Bᵀ", [a, b.transposed]) { Variable.matmul($0[0], $0[1], transposeB: true) }
        Self.check("matmul AᵀBᵀ", [a.transposed, b.transposed]) { Variable.matmul($0[0], $0[1], transposeA: true, transposeB: true) }
        Self.check("linear", [a, Self.random([2, 4], seed: 8), Self.random([2], seed: 9)]) {
            Variable.linear($0[0], weight: $0[1], bias: $0[2])
        }
    }

    @Test func elementwiseFunctions() {
        let x = Self.awayFromZero([10], seed: 10)
        let positive = Self.random([10], seed: 11, low: 0.5, high: 2)
        Self.check("leaky relu", [x]) { $0[0].leakyReLU(slope: 0.2) }
        Self.check("relu", [x]) { $0[0].relu() }
        Self.check("tanh", [x]) { $0[0].tanh() }
        Self.check("sigmoid", [x]) { $0[0].sigmoid() }
        Self.check("softplus", [x]) { $0[0].softplus() }
        Self.check("log sigmoid", [x]) { $0[0].logSigmoid() }
        Self.check("exp", [x]) { $0[0].exp() }
        Self.check("log", [positive]) { $0[0].log() }
        Self.check("sqrt", [positive]) { $0[0].sqrt() }
        Self.check("square", [x]) { $0[0].square() }
    }

    @Test func convolutions() {
        let x = Self.random([2, 2, 5, 5], seed: 12), w = Self.random([3, 2, 3, 3], seed: 13)
        Self.check("conv2d stride 2 pad 1", [x, w]) { Variable.conv2d($0[0], weight: $0[1], stride: 2, padding: 1) }
        let xt = Self.random([2, 3, 3, 3], seed: 14), wt = Self.random([3, 2, 4, 4], seed: 15)
        Self.check("conv transpose", [xt, wt]) { Variable.convTranspose2d($0[0], weight: $0[1], stride: 2, padding: 1, outputSize: (6, 6)) }
        let geometry = ConvolutionGeometry(batch: 2, channels: 2, inHeight: 5, inWidth: 5, kernelHeight: 3, kernelWidth: 3, stride: 2, padding: 1)
        Self.check("unfold", [x]) { Variable.unfold($0[0], geometry: geometry) }
        Self.check("fold", [Self.random([18, 18], seed: 16)]) { Variable.fold($0[0], geometry: geometry) }
        Self.check("channel major", [x]) { $0[0].channelMajor }
        Self.check("batch major", [Self.random([2, 50], seed: 17)]) { $0[0].batchMajor([2, 2, 5, 5]) }
    }

    /// The Winograd form of DCGAN's layers, first order and through a gradient penalty (double
    /// backward runs each transform's adjoint's adjoint), on even and odd sizes.
    @Test func winogradConvolutionsFirstAndSecondOrder() {
        let x = Self.random([2, 2, 6, 7], seed: 50), w = Self.random([3, 2, 4, 4], seed: 51)
        Self.check("winograd conv2d", [x, w]) { Variable.conv2d($0[0], weight: $0[1], stride: 2, padding: 1, algorithm: .winograd) }
        let xt = Self.random([2, 3, 3, 3], seed: 52), wt = Self.random([3, 2, 4, 4], seed: 53)
        Self.check("winograd conv transpose", [xt, wt]) {
            Variable.convTranspose2d($0[0], weight: $0[1], stride: 2, padding: 1, outputSize: (6, 6), algorithm: .winograd)
        }
        Self.check("winograd conv transpose, output padding", [xt, wt]) {
            Variable.convTranspose2d($0[0], weight: $0[1], stride: 2, padding: 1, outputSize: (7, 7), algorithm: .winograd)
        }
        let img = Self.random([2, 2, 6, 6], seed: 54), v = Self.random([1, 27], seed: 55)
        Self.check("winograd conv penalty", [w, v], step: 5e-3) { p in
            let input = Variable(img, requiresGradient: true)
            let h = Variable.conv2d(input, weight: p[0], stride: 2, padding: 1, algorithm: .winograd).leakyReLU(slope: 0.2).sigmoid()
            let out = Variable.linear(h.flattenedRows, weight: p[1], bias: nil)
            let g = Autodiff.gradients(of: out.sum(), wrt: [input], createGraph: true)[0]
            return g.square().sum()
        }
        let z = Self.random([2, 3, 3, 3], seed: 56), u = Self.random([1, 72], seed: 57)
        Self.check("winograd conv transpose penalty", [wt, u], step: 5e-3) { p in
            let input = Variable(z, requiresGradient: true)
            let h = Variable.convTranspose2d(input, weight: p[0], stride: 2, padding: 1, outputSize: (6, 6), algorithm: .winograd).tanh()
            let out = Variable.linear(h.flattenedRows, weight: p[1], bias: nil)
            let g = Autodiff.gradients(of: out.sum(), wrt: [input], createGraph: true)[0]
            return g.square().sum()
        }
    }

    /// Value, input gradient and weight gradient of two algorithms, equal to 10⁻⁵ of each one's scale.
    static func expectAgreeToRounding(_ winograd: [Tensor], _ unfold: [Tensor], sourceLocation: SourceLocation = #_sourceLocation) {
        for (label, (a, b)) in zip(["value", "input gradient", "weight gradient"], zip(winograd, unfold)) {
            let scale = b.scalars.map(abs).max() ?? 1
            let worst = zip(a.scalars, b.scalars).map { abs($0 - $1) }.max() ?? 0
            #expect(worst <= 1e-5 * max(1, scale), "\(label): worst difference \(worst) at scale \(scale)", sourceLocation: sourceLocation)
        }
    }

    /// Both algorithms give the same values, gradients and penalty gradients on a DCGAN-sized
    /// layer (where the automatic choice is Winograd).
    @Test func winogradAndUnfoldAgreeToRounding() {
        let x = Self.random([4, 16, 8, 8], seed: 60), w = Self.random([32, 16, 4, 4], seed: 61)
        func penaltyGradients(_ algorithm: ConvolutionAlgorithm) -> [Tensor] {
            let input = Variable(x, requiresGradient: true), weight = Variable(w, requiresGradient: true)
            let y = Variable.conv2d(input, weight: weight, stride: 2, padding: 1, algorithm: algorithm).tanh()
            let back = Variable.convTranspose2d(y, weight: weight, stride: 2, padding: 1, outputSize: (8, 8), algorithm: algorithm).sigmoid()
            let g = Autodiff.gradients(of: back.sum(), wrt: [input], createGraph: true)[0]
            return [back.value] + Autodiff.gradients(of: g.square().sum(), wrt: [input, weight]).map(\.value)
        }
        Self.expectAgreeToRounding(penaltyGradients(.winograd), penaltyGradients(.unfold))
    }

    /// The 1-D Winograd form (F(4, 5) with a partial last tile, F(6, 3)), first order and through
    /// a gradient penalty; and the same values, gradients and penalty gradients as unfold on the
    /// text nets' layer, where the automatic choice is Winograd.
    @Test func winogradConv1dFirstAndSecondOrderAndAgreesWithUnfold() {
        let x = Self.random([2, 3, 7], seed: 70), w = Self.random([4, 3, 5], seed: 71), w3 = Self.random([2, 3, 3], seed: 72)
        Self.check("winograd conv1d F(4, 5)", [x, w]) { Variable.conv1d($0[0], weight: $0[1], padding: 2, algorithm: .winograd) }
        Self.check("winograd conv1d F(6, 3)", [x, w3]) { Variable.conv1d($0[0], weight: $0[1], padding: 0, algorithm: .winograd) }
        let v = Self.random([1, 28], seed: 73)
        Self.check("winograd conv1d penalty", [w, v], step: 5e-3) { p in
            let input = Variable(x, requiresGradient: true)
            let h = Variable.conv1d(input.softmax(axis: 1), weight: p[0], padding: 2, algorithm: .winograd).tanh()
            let out = Variable.linear(h.flattenedRows, weight: p[1], bias: nil)
            let g = Autodiff.gradients(of: out.sum(), wrt: [input], createGraph: true)[0]
            return g.square().sum()
        }
        let xs = Self.random([4, 32, 16], seed: 74), ws = Self.random([32, 32, 5], seed: 75) * (1 / Float(160).squareRoot())
        func penaltyGradients(_ algorithm: ConvolutionAlgorithm) -> [Tensor] {
            let input = Variable(xs, requiresGradient: true), weight = Variable(ws, requiresGradient: true)
            let h = Variable.conv1d(input, weight: weight, padding: 2, algorithm: algorithm).relu()
            let y = Variable.conv1d(h, weight: weight, padding: 2, algorithm: algorithm).tanh()
            let g = Autodiff.gradients(of: y.sum(), wrt: [input], createGraph: true)[0]
            return [y.value] + Autodiff.gradients(of: g.square().sum(), wrt: [input, weight]).map(\.value)
        }
        Self.expectAgreeToRounding(penaltyGradients(.winograd), penaltyGradients(.unfold))
    }

    /// The character GAN's operations: 1-D convolution (a 2-D one padded along the row only) and
    /// softmax over the vocabulary axis, first order and through a gradient penalty.
    @Test func conv1dAndSoftmaxFirstAndSecondOrder() {
        let x = Self.random([2, 3, 6], seed: 40), w = Self.random([4, 3, 5], seed: 41)
        Self.check("conv1d pad 2", [x, w]) { Variable.conv1d($0[0], weight: $0[1], padding: 2) }
        Self.check("conv1d 1×1", [x, Self.random([2, 3, 1], seed: 42)]) { Variable.conv1d($0[0], weight: $0[1], padding: 0) }
        Self.check("softmax axis 1", [Self.random([2, 4, 3], seed: 43, low: -2, high: 2)]) { $0[0].softmax(axis: 1) }
        Self.check("softmax last axis", [Self.random([3, 5], seed: 44, low: -2, high: 2)]) { $0[0].softmax(axis: 1) }
        let v = Self.random([1, 24], seed: 45)
        Self.check("penalty through conv1d and softmax", [w, v], step: 5e-3) { p in
            let input = Variable(x, requiresGradient: true)
            let h = Variable.conv1d(input.softmax(axis: 1), weight: p[0], padding: 2).tanh()
            let out = Variable.linear(h.flattenedRows, weight: p[1], bias: nil)
            let g = Autodiff.gradients(of: out.sum(), wrt: [input], createGraph: true)[0]
            return g.square().sum()
        }
    }

    /// Double backward: the gradient of ‖∇ₓ f(x; W)‖² with respect to W, against finite
    /// differences of the first-order gradient's norm (what WGAN-GP differentiates).
    @Test func gradientPenaltyIsDifferentiable() {
        let x = Self.random([4, 3], seed: 17)
        let w1 = Self.random([5, 3], seed: 18), w2 = Self.random([1, 5], seed: 19)
        Self.check("mlp penalty", [w1, w2], step: 5e-3) { p in
            let input = Variable(x, requiresGradient: true)
            let out = Variable.linear(Variable.linear(input, weight: p[0], bias: nil).tanh(), weight: p[1], bias: nil)
            let g = Autodiff.gradients(of: out.sum(), wrt: [input], createGraph: true)[0]
            return (g.square().sum(axes: [1]) + 1e-12).sqrt()
        }
        let img = Self.random([2, 1, 6, 6], seed: 20)
        let k = Self.random([2, 1, 4, 4], seed: 21), v = Self.random([1, 18], seed: 22)
        Self.check("conv penalty", [k, v], step: 5e-3) { p in
            let input = Variable(img, requiresGradient: true)
            let h = Variable.conv2d(input, weight: p[0], stride: 2, padding: 1).leakyReLU(slope: 0.2).sigmoid()
            let out = Variable.linear(h.flattenedRows, weight: p[1], bias: nil)
            let g = Autodiff.gradients(of: out.sum(), wrt: [input], createGraph: true)[0]
            return g.square().sum()
        }
    }

    @Test func batchNormalizationFirstAndSecondOrder() {
        let x = Self.random([4, 3, 2, 2], seed: 30), scale = Self.random([3], seed: 31, low: 0.5, high: 1.5), shift = Self.random([3], seed: 32)
        Self.check("batch norm", [x, scale, shift]) { Variable.batchNormalization($0[0], scale: $0[1], shift: $0[2], epsilon: 1e-5).output }
        Self.check("batch norm 2-d", [Self.random([5, 3], seed: 33), scale, shift]) {
            Variable.batchNormalization($0[0], scale: $0[1], shift: $0[2], epsilon: 1e-5).output
        }
        let w = Self.random([1, 12], seed: 34)
        Self.check("penalty through batch norm", [scale, w], step: 5e-3) { p in
            let input = Variable(x, requiresGradient: true)
            let h = Variable.batchNormalization(input, scale: p[0], shift: Variable(shift), epsilon: 1e-5).output.tanh()
            let out = Variable.linear(h.flattenedRows, weight: p[1], bias: nil)
            let g = Autodiff.gradients(of: out.square().sum(), wrt: [input], createGraph: true)[0]
            return g.square().sum()
        }
    }

    @Test func gradientsOnlyWhereAskedLeaveOthersUntouched() {
        let x = Variable(Self.random([2, 3], seed: 23), requiresGradient: true)
        let w = Variable(Self.random([4, 3], seed: 24), requiresGradient: true)
        let y = Variable.linear(x, weight: w, bias: nil).sum()
        let gx = Autodiff.gradients(of: y, wrt: [x])[0]
        let both = Autodiff.gradients(of: y, wrt: [x, w])
        #expect(gx.value.isBitwiseIdentical(to: both[0].value))
        let unrelated = Variable(Tensor.ones([2]), requiresGradient: true)
        #expect(Autodiff.gradients(of: y, wrt: [unrelated])[0].value.scalars == [0, 0])
    }

    @Test func noGraphIsRecordedWithoutRecording() {
        let w = Variable(Tensor.ones([2, 2]), requiresGradient: true)
        let out = Autodiff.withoutRecording { Variable.matmul(w, w) }
        #expect(!out.requiresGradient)
    }
}
