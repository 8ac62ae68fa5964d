import GANKitAutodiff
import GANKitNN
import GANKitTensor
import GANKitTestSupport
import GANKitTraining
import Testing

/// WGAN-GP's and DRAGAN's penalties, differentiated twice, against PyTorch.
struct GradientPenaltyTests {
    /// The oracle's MLP critic: linear layers with LeakyReLU between, named layerK.
    static func mlpCritic(_ c: OracleCase) -> Sequential {
        var rng = RandomStream(seed: 0)
        let slope = c.config["leaky_slope"]!.float!
        var layers: [Module] = []
        var k = 0
        while let w = c.inputs["layer\(k).weight"] {
            if k > 0 { layers.append(ActivationLayer(.leakyReLU(slope: slope))) }
            let linear = Linear(inputSize: w.shape[1], outputSize: w.shape[0], using: &rng)
            linear.weight.value = w
            linear.bias!.value = c.input("layer\(k).bias")
            layers.append(linear)
            k += 1
        }
        return Sequential(layers)
    }

    static func expectGradients(_ critic: Module, of loss: Variable, prefix: String, _ c: OracleCase, names: (String) -> String) {
        let grads = critic.gradients(of: loss)
        var checked = 0
        for (key, want) in c.expected where key.hasPrefix(prefix) {
            let got = grads[names(String(key.dropFirst(prefix.count)))]!
            if let v = maxViolation(got, want, rtol: 2e-4, atol: 2e-5) { Issue.record("\(c.name) \(key): \(v)") }
            checked += 1
        }
        #expect(checked > 0)
    }

    static func mlpName(_ s: String) -> String { OracleTrainingNames.mlp(s) }

    @Test(arguments: Oracle.cases(kind: "wgan_gp"))
    func wganGPLossAndGradientsMatchPyTorch(_ c: OracleCase) {
        let critic = Self.mlpCritic(c)
        let lambda = c.config["lambda"]!.float!
        let real = c.input("real"), fake = c.input("fake")
        let penalty = GradientPenalty.wganGP(critic: critic, real: real, fake: fake, alpha: c.input("alpha"))
        #expect(isClose(penalty.value, c.expected("penalty")))
        let loss = Objective(.wganGP).discriminatorLoss(real: critic(Variable(real)), fake: critic(Variable(fake))) + penalty * lambda
        #expect(isClose(loss.value, c.expected("loss")))
        Self.expectGradients(critic, of: penalty, prefix: "grad_penalty.", c, names: Self.mlpName)
        Self.expectGradients(critic, of: loss, prefix: "grad_loss.", c, names: Self.mlpName)
    }

    @Test(arguments: Oracle.cases(kind: "wgan_gp_penalty"))
    func convolutionalPenaltyMatchesPyTorch(_ c: OracleCase) {
        var rng = RandomStream(seed: 0)
        let slope = c.config["leaky_slope"]!.float!
        let w0 = c.input("conv0.weight"), w1 = c.input("conv1.weight"), wl = c.input("linear.weight")
        let conv0 = Conv2d(inputChannels: w0.shape[1], outputChannels: w0.shape[0], kernelSize: 4, stride: 2, padding: 1, using: &rng)
        let conv1 = Conv2d(inputChannels: w1.shape[1], outputChannels: w1.shape[0], kernelSize: 4, stride: 2, padding: 1, using: &rng)
        let linear = Linear(inputSize: wl.shape[1], outputSize: 1, using: &rng)
        conv0.weight.value = w0; conv0.bias!.value = c.input("conv0.bias")
        conv1.weight.value = w1; conv1.bias!.value = c.input("conv1.bias")
        linear.weight.value = wl; linear.bias!.value = c.input("linear.bias")
        let critic = Sequential([conv0, ActivationLayer(.leakyReLU(slope: slope)), conv1, ActivationLayer(.leakyReLU(slope: slope)),
                                 Reshape.flatten(), linear])
        let penalty = GradientPenalty.wganGP(critic: critic, real: c.input("real"), fake: c.input("fake"), alpha: c.input("alpha"))
        #expect(isClose(penalty.value, c.expected("penalty")))
        let names = ["conv0": "0", "conv1": "2", "linear": "5"]
        Self.expectGradients(critic, of: penalty, prefix: "grad_penalty.", c) { s in
            let parts = s.split(separator: ".")
            return "\(names[String(parts[0])]!).\(parts[1])"
        }
    }

    @Test(arguments: Oracle.cases(kind: "dragan_penalty"))
    func draganPenaltyMatchesPyTorch(_ c: OracleCase) {
        let critic = Self.mlpCritic(c)
        let penalty = GradientPenalty.dragan(critic: critic, real: c.input("real"), noise: c.input("u"), alpha: c.input("alpha"),
                                             c: c.config["c"]!.float!)
        #expect(isClose(penalty.value, c.expected("penalty")))
        Self.expectGradients(critic, of: penalty, prefix: "grad_penalty.", c, names: Self.mlpName)
    }
}

enum OracleTrainingNames {
    /// "layerK.weight" → "2K.weight" (Sequential with activations between linear layers).
    static func mlp(_ s: String) -> String { OracleTraining.gankitName(s) }
}
