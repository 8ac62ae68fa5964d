/// A lower bound on the memory a training run needs, computed from its configuration before any
/// network is built: a width of 10⁸ or a batch of 10⁹ is refused with a message instead of
/// aborting in an allocation. Only what certainly exists is counted (the weight matrices, their
/// gradients and optimizer state; one forward pass's layer outputs for one batch), so a run the
/// estimate refuses cannot fit; one it accepts may still need more.
public struct MemoryEstimate: Sendable, Equatable {
    /// Bytes of weights, gradients and optimizer state over every network of the run.
    public var parameterBytes: Double
    /// Bytes of one generator's and one discriminator's layer outputs for one batch.
    public var activationBytes: Double
    /// Networks holding weights: every pair's two, G0 and D0, the messengers.
    public var networks: Int

    public var totalBytes: Double { parameterBytes + activationBytes }

    public init(_ c: TrainingConfiguration) {
        let (generator, discriminator) = c.networks.sizeLowerBounds()
        var pairs = 1, messengers = 0
        switch c.topology {
        case .single, .repeatedPair: break
        case .ensemble(let n): pairs = n
        case .sgan(let o):
            pairs = o.pairs + 1
            messengers = o.messengers ? o.pairs : 0
        }
        networks = 2 * pairs + messengers
        // Weights and gradients, plus the optimizer's state per weight.
        let perWeight: Double = switch c.resolvedDiscriminatorOptimizer {
        case .adam: 4
        case .rmsprop: 3
        case .sgd: 2
        }
        parameterBytes = 4 * perWeight * (Double(pairs) * (generator.parameters + discriminator.parameters)
                                          + Double(messengers) * discriminator.parameters)
        activationBytes = 4 * Double(c.batchSize) * (generator.activations + discriminator.activations)
    }
}

extension NetworkConfiguration {
    /// Weights and per-sample layer outputs of G and D, counting the main tensors only.
    func sizeLowerBounds() -> (generator: (parameters: Double, activations: Double), discriminator: (parameters: Double, activations: Double)) {
        let z = Double(latentDimension), out = Double(sampleSize)
        switch architecture {
        case let .mlp(depth, width, _):
            let w = Double(width), d = Double(depth)
            let hidden = (d - 1) * w * w
            return ((z * w + hidden + w * out, d * w + out), (out * w + hidden + w, d * w + 1))
        case .dcgan(let width):
            // Channels and sides of G's layers from its 1×1 input up; D runs the other way.
            let side = sampleShape[1], channels = Double(sampleShape[0])
            var layers: [(channels: Double, side: Double)] = []
            var c = Double(side == 28 ? width * 4 : width << (upsamplings - 1)), s = Double(side == 28 ? 7 : 4)
            for _ in 0..<upsamplings { layers.append((c, s)); c /= 2; s *= 2 }
            layers.append((channels, Double(side)))
            var gParameters = z * layers[0].channels * layers[0].side * layers[0].side, gActivations = 0.0
            for (a, b) in zip(layers, layers.dropFirst()) { gParameters += a.channels * b.channels * 16 }
            for l in layers { gActivations += l.channels * l.side * l.side }
            var dParameters = 0.0, dActivations = 0.0
            var cin = channels, size = Double(side)
            for i in 0..<upsamplings {
                let next = Double(width << i)
                dParameters += cin * next * 16
                size /= 2
                dActivations += next * size * size
                cin = next
            }
            dParameters += cin * size * size
            return ((gParameters, gActivations), (dParameters, dActivations))
        case .sganMNIST(let width):
            let w = Double(width), channels = Double(sampleShape[0])
            let parameters = z * 4 * w * 16 + 4 * w * 2 * w * 9 + 2 * w * w * 16 + w * channels * 16
            let activations = 4 * w * 16 + 2 * w * 49 + w * 196 + channels * 784
            return ((parameters, activations), (parameters - z * 4 * w * 16 + 4 * w * 16, activations - channels * 784 + 1))
        case let .charResNet(width, blocks):
            let w = Double(width), length = Double(sampleShape[1]), vocabulary = Double(sampleShape[0])
            let residual = Double(blocks) * 2 * 5 * w * w
            let activations = w * length * (1 + 2 * Double(blocks))
            return ((z * w * length + residual + w * vocabulary, activations + vocabulary * length),
                    (vocabulary * w + residual + w * length, activations + 1))
        }
    }
}
