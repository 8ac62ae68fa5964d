import GANKitAutodiff
import GANKitNN
import GANKitTensor
import Testing

/// Finite-difference checks of every layer's parameter and input gradients.
struct LayerGradientCheckTests {
    static func check(_ label: String, _ module: Module, input: Tensor, step: Float = 1e-2, tolerance: Float = 3e-2) {
        var rng = RandomStream(seed: 5)
        let params = module.namedParameters
        let weights = Tensor.normal(module(input).shape, using: &rng)
        func objective() -> Float { Autodiff.withoutRecording { (module(Variable(input)).value * weights).sum().scalar } }
        let x = Variable(input, requiresGradient: true)
        let out = module(x)
        let grads = Autodiff.gradients(of: out, wrt: [x] + params.map { $0.1.variable }, seed: weights).map(\.value)
        // Input gradient.
        var probe = input
        for i in Swift.stride(from: 0, to: input.count, by: max(1, input.count / 12)) {
            let original = probe.scalars[i]
            probe.withUnsafeMutableBufferPointer { $0[i] = original + step }
            let up = Autodiff.withoutRecording { (module(Variable(probe)).value * weights).sum().scalar }
            probe.withUnsafeMutableBufferPointer { $0[i] = original - step }
            let down = Autodiff.withoutRecording { (module(Variable(probe)).value * weights).sum().scalar }
            probe.withUnsafeMutableBufferPointer { $0[i] = original }
            let numeric = (up - down) / (2 * step), a = grads[0].scalars[i]
            if abs(a - numeric) > tolerance * max(1, abs(a), abs(numeric)) {
                Issue.record("\(label) input \(i): analytic \(a) numeric \(numeric)"); return
            }
        }
        for (k, (name, p)) in params.enumerated() {
            for i in Swift.stride(from: 0, to: p.value.count, by: max(1, p.value.count / 12)) {
                let original = p.value.scalars[i]
                p.value[flat: i] = original + step
                let up = objective()
                p.value[flat: i] = original - step
                let down = objective()
                p.value[flat: i] = original
                let numeric = (up - down) / (2 * step), a = grads[k + 1].scalars[i]
                if abs(a - numeric) > tolerance * max(1, abs(a), abs(numeric)) {
                    Issue.record("\(label) \(name)[\(i)]: analytic \(a) numeric \(numeric)"); return
                }
            }
        }
    }

    @Test func everyLayerHasCorrectGradients() {
        var rng = RandomStream(seed: 1)
        let image = Tensor.uniform([2, 2, 6, 6], low: -1, high: 1, using: &rng)
        Self.check("linear", Linear(inputSize: 4, outputSize: 3, using: &rng), input: Tensor.uniform([3, 4], low: -1, high: 1, using: &rng))
        Self.check("conv2d", Conv2d(inputChannels: 2, outputChannels: 3, kernelSize: 4, stride: 2, padding: 1, using: &rng), input: image)
        Self.check("conv transpose", ConvTranspose2d(inputChannels: 2, outputChannels: 2, kernelSize: 4, stride: 2, padding: 1, using: &rng), input: image)
        // Eval-mode BatchNorm is a fixed affine map; training mode is checked below (running stats
        // change on each call but do not affect training-mode outputs).
        Self.check("batchnorm 2d", BatchNorm(features: 2, using: &rng), input: image)
        Self.check("batchnorm 1d", BatchNorm(features: 4, using: &rng), input: Tensor.uniform([5, 4], low: -1, high: 1, using: &rng))
        let mlp = Sequential {
            Linear(inputSize: 3, outputSize: 5, using: &rng)
            ActivationLayer(.tanh)
            Linear(inputSize: 5, outputSize: 2, using: &rng)
            ActivationLayer(.sigmoid)
        }
        Self.check("sequential", mlp, input: Tensor.uniform([4, 3], low: -1, high: 1, using: &rng))
        let convNet = Sequential {
            Conv2d(inputChannels: 2, outputChannels: 2, kernelSize: 3, padding: 1, using: &rng)
            ActivationLayer(.tanh)
            Reshape.flatten()
            Linear(inputSize: 72, outputSize: 1, using: &rng)
        }
        Self.check("conv net", convNet, input: image)
    }

    @Test func copyIsDeepAndCheap() {
        var rng = RandomStream(seed: 2)
        let net = Sequential { Linear(inputSize: 2, outputSize: 2, using: &rng); BatchNorm(features: 2, using: &rng) }
        let clone = net.copy()
        #expect(clone.namedParameters.map(\.0) == net.namedParameters.map(\.0))
        clone.namedParameters[0].1.value[flat: 0] += 1
        #expect(clone.namedParameters[0].1.value.scalars[0] != net.namedParameters[0].1.value.scalars[0])
        #expect(net.namedBuffers.map(\.0) == ["1.running_mean", "1.running_var"])
    }

    @Test func stateDictionaryRoundTripsAndRejectsWrongShapes() throws {
        var rng = RandomStream(seed: 3)
        let a = Linear(inputSize: 3, outputSize: 2, using: &rng), b = Linear(inputSize: 3, outputSize: 2, using: &rng)
        try b.load(stateDictionary: a.stateDictionary)
        #expect(b.weight.value.isBitwiseIdentical(to: a.weight.value))
        var bad = a.stateDictionary
        bad["weight"] = Tensor.zeros([3, 3])
        #expect(throws: ModuleError.shapeMismatch(name: "weight", expected: [2, 3], found: [3, 3])) { try b.load(stateDictionary: bad) }
    }
}

extension Tensor {
    /// Element by flat index (test helper).
    subscript(flat i: Int) -> Float {
        get { scalars[i] }
        set { withUnsafeMutableBufferPointer { $0[i] = newValue } }
    }
}
