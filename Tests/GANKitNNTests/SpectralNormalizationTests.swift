import Foundation
import GANKitAutodiff
import GANKitNN
import GANKitTensor
import GANKitTestSupport
import Testing

/// Spectrally normalised Linear, Conv2d and Conv1d against PyTorch's `spectral_norm` (a training
/// pass with its power-iteration step, gradients, a penalty's double backward, an evaluation
/// pass), and the properties the training loop relies on.
@Suite(.serialized) struct SpectralNormalizationTests {
    static let cases: [String: OracleCase] = ExternalProcess.skipPython ? [:] : Oracle.generate(
        script: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Python/spectral_norm_oracle.py"),
        label: "spectral-norm-oracle")

    static func expectClose(_ got: Tensor, _ c: OracleCase, _ key: String, sourceLocation: SourceLocation = #_sourceLocation) {
        if let v = maxViolation(got, c.expected(key), rtol: 1e-4, atol: 1e-5) { Issue.record("\(c.name) \(key): \(v)", sourceLocation: sourceLocation) }
    }

    /// The case's layer, spectrally normalised, with PyTorch's weight, bias, u and v.
    static func layer(_ c: OracleCase) throws -> any SpectrallyNormalizable {
        var rng = RandomStream(seed: 0)
        let w = c.input("weight_orig").shape
        let layer: any SpectrallyNormalizable = switch c.kind {
        case "linear": Linear(inputSize: w[1], outputSize: w[0], using: &rng)
        case "conv2d": Conv2d(inputChannels: w[1], outputChannels: w[0], kernelSize: w[2], stride: c.config["stride"]!.int!,
                              padding: c.config["padding"]!.int!, using: &rng)
        default: Conv1d(inputChannels: w[1], outputChannels: w[0], kernelSize: w[2], padding: c.config["padding"]!.int!, using: &rng)
        }
        layer.normalizeSpectrally(using: &rng)
        try layer.load(stateDictionary: ["weight_orig": c.input("weight_orig"), "weight_u": c.input("weight_u"),
                                         "weight_v": c.input("weight_v"), "bias": c.input("bias")])
        return layer
    }

    @Test(.enabled(if: !ExternalProcess.skipPython), arguments: ["linear", "conv2d", "conv1d"])
    func matchesPyTorchToSecondOrder(_ kind: String) throws {
        let c = try #require(Self.cases["spectral_norm_\(kind)"])
        let layer = try Self.layer(c)
        let x = Variable(c.input("x"), requiresGradient: true)
        let y = layer(x)
        Self.expectClose(y.value, c, "y")
        Self.expectClose(layer.spectralNormalization!.u.value, c, "weight_u")
        Self.expectClose(layer.spectralNormalization!.v.value, c, "weight_v")
        let g = Autodiff.gradients(of: y, wrt: [x, layer.weight.variable, layer.bias!.variable], seed: c.input("upstream"), createGraph: true)
        Self.expectClose(g[0].value, c, "grad_x")
        Self.expectClose(g[1].value, c, "grad_weight_orig")
        Self.expectClose(g[2].value, c, "grad_bias")
        Self.expectClose(Autodiff.gradients(of: g[0].square().sum(), wrt: [layer.weight.variable])[0].value, c, "penalty_grad_weight_orig")
        layer.setTraining(false)
        Self.expectClose(layer(c.input("x")), c, "y_eval")
    }

    /// Named as PyTorch names them, so that state dictionaries load both ways.
    @Test func stateIsNamedAsPyTorchNamesIt() {
        var rng = RandomStream(seed: 1)
        let net = Sequential([Linear(inputSize: 3, outputSize: 4, using: &rng), ActivationLayer(.relu), Linear(inputSize: 4, outputSize: 1, using: &rng)])
        #expect(Set(net.stateDictionary.keys) == ["0.weight", "0.bias", "2.weight", "2.bias"])
        net.normalizeSpectrally(using: &rng)
        #expect(Set(net.stateDictionary.keys) == ["0.weight_orig", "0.bias", "0.weight_u", "0.weight_v",
                                                  "2.weight_orig", "2.bias", "2.weight_u", "2.weight_v"])
        #expect(net.namedParameters.map(\.0) == ["0.weight_orig", "0.bias", "2.weight_orig", "2.bias"])
    }

    /// Repeated training passes are power iteration: σ = uᵀWv reaches W's largest singular value,
    /// and the normalised weight's is then 1.
    @Test func trainingPassesFindTheLargestSingularValue() {
        var rng = RandomStream(seed: 2)
        let layer = Linear(inputSize: 3, outputSize: 3, bias: false, using: &rng)
        // W = Q·diag(3, 1, 0.5)·Qᵀ with Q a rotation about z: singular values 3, 1, 0.5.
        let (cosine, sine) = (Float(0.6), Float(0.8))
        layer.weight.value = Tensor(shape: [3, 3], values: [3 * cosine * cosine + sine * sine, (3 - 1) * cosine * sine, 0,
                                                             (3 - 1) * cosine * sine, 3 * sine * sine + cosine * cosine, 0,
                                                             0, 0, 0.5])
        layer.normalizeSpectrally(using: &rng)
        let x = Variable(Tensor.normal([2, 3], using: &rng), requiresGradient: true)
        for _ in 0..<40 { _ = layer(x) }
        let sigma = layer.spectralNormalization!.sigma(of: layer.weight.value)
        #expect(abs(sigma - 3) < 1e-4, "σ = \(sigma)")
        layer.foldSpectralNormalization()
        let folded = layer.weight.value.scalars
        #expect(abs(folded[0] - (3 * cosine * cosine + sine * sine) / 3) < 1e-4)
    }

    /// Evaluation (no graph recorded) reads u and v but never steps them, so that metrics taken
    /// during a run leave its training as it was; a copy steps on its own.
    @Test func onlyRecordedTrainingPassesStepTheVectors() {
        var rng = RandomStream(seed: 3)
        let layer = Conv1d(inputChannels: 2, outputChannels: 3, kernelSize: 3, padding: 1, using: &rng)
        layer.normalizeSpectrally(using: &rng)
        let x = Tensor.normal([2, 2, 5], using: &rng)
        let u = layer.spectralNormalization!.u.value
        _ = layer(x)
        #expect(layer.spectralNormalization!.u.value.scalars == u.scalars, "an unrecorded pass stepped u")
        let copy = layer.copy() as! Conv1d
        _ = copy(Variable(x, requiresGradient: true))
        #expect(copy.spectralNormalization!.u.value.scalars != u.scalars, "a recorded training pass did not step u")
        #expect(layer.spectralNormalization!.u.value.scalars == u.scalars, "the copy's step moved the original's u")
        copy.setTraining(false)
        let stepped = copy.spectralNormalization!.u.value
        _ = copy(Variable(x, requiresGradient: true))
        #expect(copy.spectralNormalization!.u.value.scalars == stepped.scalars, "an evaluation-mode pass stepped u")
    }

    /// Folding gives the plain network an exported file describes: the same outputs as the
    /// normalised one in evaluation mode, with PyTorch's plain names.
    @Test func foldingKeepsTheFunction() {
        var rng = RandomStream(seed: 4)
        let net = Sequential([Conv2d(inputChannels: 2, outputChannels: 4, kernelSize: 3, stride: 2, padding: 1, using: &rng),
                              ActivationLayer(.leakyReLU(slope: 0.2)), Reshape.flatten(), Linear(inputSize: 16, outputSize: 1, using: &rng)])
        net.normalizeSpectrally(using: &rng)
        let x = Tensor.normal([3, 2, 4, 4], using: &rng)
        for _ in 0..<3 { _ = net(Variable(x, requiresGradient: true)) }
        net.setTraining(false)
        let before = net(x)
        net.foldSpectralNormalization()
        #expect(Set(net.stateDictionary.keys) == ["0.weight", "0.bias", "3.weight", "3.bias"])
        if let v = maxViolation(net(x), before, rtol: 1e-5, atol: 1e-6) { Issue.record("folded network: \(v)") }
    }
}
