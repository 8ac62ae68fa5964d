import GANKitAutodiff
import GANKitNN
import GANKitTensor
import GANKitTestSupport
import Testing

/// Forward values and gradients of every layer against PyTorch (`../shared/oracle`).
struct LayerOracleTests {
    private func check(_ actual: Tensor, _ c: OracleCase, _ key: String, rtol: Float = 1e-4, atol: Float = 1e-5) {
        #expect(actual.shape == c.expected(key).shape, "\(c.name): \(key) shape \(actual.shape) vs \(c.expected(key).shape)")
        if let v = maxViolation(actual, c.expected(key), rtol: rtol, atol: atol) { Issue.record("\(c.name): \(key): \(v)") }
    }

    /// Sets a module's parameters from the case's inputs (weight, bias).
    private func load(_ parameters: [(String, Parameter)], from c: OracleCase) {
        for (name, p) in parameters { p.value = c.input(name) }
    }

    /// Loads the case's weight and bias into `layer`, runs it on `x`, and checks `y` and the
    /// gradients of `sum(y · upstream)` with respect to x, the weight and the bias.
    private func checkWeightedLayer(_ layer: Module, _ c: OracleCase) {
        load(layer.namedParameters, from: c)
        let x = Variable(c.input("x"), requiresGradient: true)
        let y = layer(x)
        check(y.value, c, "y")
        let parameters = Dictionary(uniqueKeysWithValues: layer.namedParameters)
        let grads = Autodiff.gradients(of: y, wrt: [x, parameters["weight"]!.variable, parameters["bias"]!.variable], seed: c.input("upstream"))
        for (key, g) in zip(["grad_x", "grad_weight", "grad_bias"], grads) { check(g.value, c, key) }
    }

    @Test(arguments: Oracle.cases(kind: "linear"))
    func linearMatchesPyTorch(_ c: OracleCase) {
        var rng = RandomStream(seed: 0)
        let w = c.input("weight")
        let layer = Linear(inputSize: w.shape[1], outputSize: w.shape[0], using: &rng)
        checkWeightedLayer(layer, c)
    }

    @Test(arguments: Oracle.cases(kind: "conv2d"))
    func conv2dMatchesPyTorch(_ c: OracleCase) {
        var rng = RandomStream(seed: 0)
        let w = c.input("weight")
        let layer = Conv2d(inputChannels: w.shape[1], outputChannels: w.shape[0], kernelSize: w.shape[2],
                           stride: c.config["stride"]!.int!, padding: c.config["padding"]!.int!, using: &rng)
        checkWeightedLayer(layer, c)
    }

    @Test(arguments: Oracle.cases(kind: "conv_transpose2d"))
    func convTranspose2dMatchesPyTorch(_ c: OracleCase) {
        var rng = RandomStream(seed: 0)
        let w = c.input("weight")
        let layer = ConvTranspose2d(inputChannels: w.shape[0], outputChannels: w.shape[1], kernelSize: w.shape[2],
                                    stride: c.config["stride"]!.int!, padding: c.config["padding"]!.int!,
                                    outputPadding: c.config["output_padding"]!.int!, using: &rng)
        checkWeightedLayer(layer, c)
    }

    /// The Winograd form, forced, on the cases with DCGAN's geometry (4×4, stride 2, padding 1).
    static let dcganGeometryCases = (Oracle.cases(kind: "conv2d") + Oracle.cases(kind: "conv_transpose2d")).filter {
        $0.input("weight").shape[2] == 4 && $0.config["stride"]!.int! == 2 && $0.config["padding"]!.int! == 1
    }

    @Test func theOracleHasDCGANGeometryCases() {
        #expect(Self.dcganGeometryCases.map(\.name).sorted() == ["conv2d_0", "conv_transpose2d_1"])
    }

    @Test(arguments: dcganGeometryCases)
    func winogradConvolutionsMatchPyTorch(_ c: OracleCase) {
        let w = c.input("weight")
        let x = Variable(c.input("x"), requiresGradient: true)
        let weight = Variable(w, requiresGradient: true), bias = Variable(c.input("bias"), requiresGradient: true)
        let y: Variable
        if c.name.hasPrefix("conv_transpose2d") {
            let extra = c.config["output_padding"]!.int!
            let size = (2 * x.shape[2] + extra, 2 * x.shape[3] + extra)
            y = Variable.convTranspose2d(x, weight: weight, stride: 2, padding: 1, outputSize: size, algorithm: .winograd)
                + bias.reshaped([1, bias.value.count, 1, 1])
        } else {
            y = Variable.conv2d(x, weight: weight, stride: 2, padding: 1, algorithm: .winograd) + bias.reshaped([1, bias.value.count, 1, 1])
        }
        check(y.value, c, "y")
        let grads = Autodiff.gradients(of: y, wrt: [x, weight, bias], seed: c.input("upstream"))
        for (key, g) in zip(["grad_x", "grad_weight", "grad_bias"], grads) { check(g.value, c, key) }
    }

    @Test(arguments: Oracle.cases(kind: "batch_norm"))
    func batchNormMatchesPyTorch(_ c: OracleCase) {
        var rng = RandomStream(seed: 0)
        let features = c.input("weight").count
        let layer = BatchNorm(features: features, momentum: c.config["momentum"]!.float!, epsilon: c.config["eps"]!.float!, using: &rng)
        load(layer.namedParameters, from: c)
        layer.runningMean.value = c.input("running_mean")
        layer.runningVariance.value = c.input("running_var")
        layer.setTraining(c.config["training"]!.bool!)
        let x = Variable(c.input("x"), requiresGradient: true)
        let y = layer(x)
        check(y.value, c, "y")
        let grads = Autodiff.gradients(of: y, wrt: [x, layer.weight.variable, layer.bias.variable], seed: c.input("upstream"))
        check(grads[0].value, c, "grad_x", rtol: 2e-4)
        check(grads[1].value, c, "grad_weight")
        check(grads[2].value, c, "grad_bias")
        check(layer.runningMean.value, c, "running_mean")
        check(layer.runningVariance.value, c, "running_var")
    }

    @Test(arguments: Oracle.cases(kind: "activation"))
    func activationMatchesPyTorch(_ c: OracleCase) throws {
        let activation: (Variable) -> Variable
        switch c.config["function"]!.string! {
        case "relu": activation = { $0.relu() }
        case "leaky_relu": let s = c.config["slope"]!.float!; activation = { $0.leakyReLU(slope: s) }
        case "tanh": activation = { $0.tanh() }
        case "sigmoid": activation = { $0.sigmoid() }
        case "softplus": activation = { $0.softplus() }
        case "log_sigmoid": activation = { $0.logSigmoid() }
        case let other: Issue.record("unknown activation \(other) in \(c.name)"); return
        }
        let x = Variable(c.input("x"), requiresGradient: true)
        let y = activation(x)
        check(y.value, c, "y")
        check(Autodiff.gradients(of: y, wrt: [x], seed: c.input("upstream"))[0].value, c, "grad_x")
    }

    @Test(arguments: Oracle.cases(kind: "bce_with_logits"))
    func binaryCrossEntropyMatchesPyTorch(_ c: OracleCase) {
        let logits = Variable(c.input("logits"), requiresGradient: true)
        let weights = c.inputs["weights"].map { Variable($0) }
        let loss = Losses.binaryCrossEntropyWithLogits(logits, targets: Variable(c.input("targets")), weights: weights)
        check(loss.value, c, "loss")
        check(Autodiff.gradients(of: loss, wrt: [logits])[0].value, c, "grad_logits")
    }
}
