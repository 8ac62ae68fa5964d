import Foundation
import GANKitAutodiff
import GANKitNN
import GANKitTensor
import GANKitTestSupport
import Testing

/// The character-level GAN's operations (1-D convolution, softmax, the residual block) against
/// PyTorch: forward values, first-order gradients and the double backward of a gradient penalty.
/// PyTorch computes the cases at test time, in the oracle's format (`Python/text_ops_oracle.py`).
@Suite(.serialized) struct TextLayerOracleTests {
    static let cases: [String: OracleCase] = ExternalProcess.skipPython ? [:] : Oracle.generate(
        script: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Python/text_ops_oracle.py"),
        label: "text-oracle")

    static func expectClose(_ got: Tensor, _ c: OracleCase, _ key: String, sourceLocation: SourceLocation = #_sourceLocation) {
        if let v = maxViolation(got, c.expected(key), rtol: 1e-4, atol: 1e-5) { Issue.record("\(c.name) \(key): \(v)", sourceLocation: sourceLocation) }
    }

    /// Each case through every algorithm that computes it: unfold, the automatic choice, and the
    /// Winograd form (not for 1×1 kernels, which have none).
    @Test(.enabled(if: !ExternalProcess.skipPython), arguments: ["conv1d_0", "conv1d_1", "conv1d_2", "conv1d_3"],
          [ConvolutionAlgorithm.unfold, .automatic, .winograd])
    func conv1dMatchesPyTorchToSecondOrder(_ name: String, _ algorithm: ConvolutionAlgorithm) throws {
        let c = try #require(Self.cases[name])
        let x = Variable(c.input("x"), requiresGradient: true)
        let w = Variable(c.input("weight"), requiresGradient: true)
        let b = Variable(c.input("bias"), requiresGradient: true)
        if algorithm == .winograd && w.shape[2] == 1 { return }
        let y = Variable.conv1d(x, weight: w, padding: c.config["padding"]!.int!, algorithm: algorithm) + b.reshaped([1, b.shape[0], 1])
        Self.expectClose(y.value, c, "y")
        let g = Autodiff.gradients(of: y, wrt: [x, w, b], seed: c.input("upstream"), createGraph: true)
        Self.expectClose(g[0].value, c, "grad_x")
        Self.expectClose(g[1].value, c, "grad_weight")
        Self.expectClose(g[2].value, c, "grad_bias")
        let penalty = Autodiff.gradients(of: g[0].square().sum(), wrt: [w])
        Self.expectClose(penalty[0].value, c, "penalty_grad_weight")
    }

    @Test(.enabled(if: !ExternalProcess.skipPython))
    func softmaxMatchesPyTorchToSecondOrder() throws {
        let c = try #require(Self.cases["softmax_0"])
        let x = Variable(c.input("x"), requiresGradient: true)
        let y = x.softmax(axis: 1)
        Self.expectClose(y.value, c, "y")
        let g = Autodiff.gradients(of: y, wrt: [x], seed: c.input("upstream"), createGraph: true)[0]
        Self.expectClose(g.value, c, "grad_x")
        Self.expectClose(Autodiff.gradients(of: g.square().sum(), wrt: [x])[0].value, c, "grad_of_grad_norm")
    }

    @Test(.enabled(if: !ExternalProcess.skipPython))
    func residualBlockMatchesPyTorchToSecondOrder() throws {
        let c = try #require(Self.cases["residual_block_0"])
        var rng = RandomStream(seed: 0)
        let conv1 = Conv1d(inputChannels: 4, outputChannels: 4, kernelSize: 5, padding: 2, using: &rng)
        let conv2 = Conv1d(inputChannels: 4, outputChannels: 4, kernelSize: 5, padding: 2, using: &rng)
        let block = Residual(Sequential([ActivationLayer(.relu), conv1, ActivationLayer(.relu), conv2]), scale: 0.3)
        try block.load(stateDictionary: ["body.1.weight": c.input("w1"), "body.1.bias": c.input("b1"),
                                         "body.3.weight": c.input("w2"), "body.3.bias": c.input("b2")])
        let x = Variable(c.input("x"), requiresGradient: true)
        let y = block(x)
        Self.expectClose(y.value, c, "y")
        let g = Autodiff.gradients(of: y, wrt: [x, conv1.weight.variable, conv2.weight.variable], seed: c.input("upstream"), createGraph: true)
        Self.expectClose(g[0].value, c, "grad_x")
        Self.expectClose(g[1].value, c, "grad_w1")
        Self.expectClose(g[2].value, c, "grad_w2")
        let penalty = Autodiff.gradients(of: g[0].square().sum(), wrt: [conv1.weight.variable, conv2.weight.variable])
        Self.expectClose(penalty[0].value, c, "penalty_grad_w1")
        Self.expectClose(penalty[1].value, c, "penalty_grad_w2")
    }
}
