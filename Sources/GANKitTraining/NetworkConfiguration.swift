import GANKitNN
import GANKitTensor

/// The generator's and discriminator's architecture.
public enum Architecture: Codable, Sendable, Equatable {
    /// Fully connected nets: `depth` hidden layers of `width` units. SGAN's toy nets are depth 3
    /// (four linear layers) of 512 with LeakyReLU 0.01; WeGAN's are 2 of 32 on toy data and 1 of
    /// 128 on MNIST.
    case mlp(depth: Int, width: Int, activation: Activation)
    /// DCGAN (Radford et al. 2016) for 28×28, 32×32 or 64×64 images: transposed convolutions with
    /// BatchNorm and ReLU in G, strided convolutions with LeakyReLU 0.2 in D; `width` is the
    /// channel count of D's first layer.
    case dcgan(width: Int)
    /// SGAN's MNIST nets (appendix): DCGAN with its 5 transposed convolutions cut to 4 for 28×28.
    /// The paper states no more; this reconstruction keeps DCGAN's layers and sizes the middle
    /// one to reach 7×7: G maps z through 4×4 (4w channels), 7×7 (2w, kernel 3), 14×14 (w) to
    /// 28×28; D mirrors it with strided convolutions (LeakyReLU 0.2) down to a 4×4 convolution
    /// giving one unit. `width` is G's last and D's first channel count.
    case sganMNIST(width: Int)
    /// The character-level nets of WGAN-GP's language model (Gulrajani et al. 2017) on samples
    /// `[vocabulary, length]`: G maps z linearly to `[width, length]`, applies `blocks` residual
    /// blocks of kernel-5 1-D convolutions and a 1×1 convolution to the vocabulary, and ends in a
    /// softmax over it at every position; D mirrors it on one-hot (or softmax) inputs and ends in
    /// one linear unit. The original uses width 512; a CPU-sized run uses 128.
    case charResNet(width: Int, blocks: Int)
}

/// Everything needed to build a generator and a discriminator.
public struct NetworkConfiguration: Codable, Sendable, Equatable {
    public var architecture: Architecture
    /// Dimension of the noise z.
    public var latentDimension: Int
    /// The distribution z is drawn from.
    public var noiseDistribution: LatentNoise.Distribution
    /// Shape of one sample: `[2]` for toy data, `[C, H, W]` for images.
    public var sampleShape: [Int]
    public var initialization: Initialization
    /// Generator output nonlinearity: tanh for images in [−1, 1], none for toy data.
    public var generatorOutput: Activation
    /// Spectral normalisation of every weight of the discriminator (Miyato et al. 2018), which
    /// then has no BatchNorm, as in their nets.
    public var spectralNormalization: Bool

    public init(architecture: Architecture, latentDimension: Int, sampleShape: [Int], initialization: Initialization = .pytorchDefault,
                generatorOutput: Activation? = nil, noiseDistribution: LatentNoise.Distribution = .normal, spectralNormalization: Bool = false) {
        self.architecture = architecture
        self.latentDimension = latentDimension
        self.noiseDistribution = noiseDistribution
        self.sampleShape = sampleShape
        self.initialization = initialization
        self.generatorOutput = generatorOutput ?? (sampleShape.count == 3 ? .tanh : .identity)
        self.spectralNormalization = spectralNormalization
    }

    /// SGAN's toy nets: four linear layers of 512, LeakyReLU 0.01, z of 100.
    public static let sganToy = NetworkConfiguration(architecture: .mlp(depth: 3, width: 512, activation: .leakyReLU(slope: 0.01)),
                                                     latentDimension: 100, sampleShape: [2])

    /// The generator's input noise.
    public var noise: LatentNoise { LatentNoise(dimension: latentDimension, distribution: noiseDistribution) }

    var sampleSize: Int { sampleShape.reduce(1, *) }

    enum CodingKeys: String, CodingKey {
        case architecture, latentDimension, noiseDistribution, sampleShape, initialization, generatorOutput, spectralNormalization
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        architecture = try c.decode(Architecture.self, forKey: .architecture)
        latentDimension = try c.decode(Int.self, forKey: .latentDimension)
        // Checkpoints written before uniform noise existed drew z from N(0, 1).
        noiseDistribution = try c.decodeIfPresent(LatentNoise.Distribution.self, forKey: .noiseDistribution) ?? .normal
        sampleShape = try c.decode([Int].self, forKey: .sampleShape)
        initialization = try c.decode(Initialization.self, forKey: .initialization)
        generatorOutput = try c.decode(Activation.self, forKey: .generatorOutput)
        // Checkpoints written before spectral normalisation existed had none.
        spectralNormalization = try c.decodeIfPresent(Bool.self, forKey: .spectralNormalization) ?? false
    }

    public func makeGenerator(using rng: inout RandomStream) -> Sequential {
        switch architecture {
        case let .mlp(depth, width, activation):
            var layers = mlpLayers(sizes: [latentDimension] + [Int](repeating: width, count: depth) + [sampleSize], activation: activation, using: &rng)
            if generatorOutput != .identity { layers.append(ActivationLayer(generatorOutput)) }
            if sampleShape.count > 1 { layers.append(Reshape(sampleShape)) }
            return Sequential(layers)
        case .dcgan:
            return dcganGenerator(using: &rng)
        case .sganMNIST(let w):
            let channels = sampleShape[0]
            var layers: [Module] = [Reshape([latentDimension, 1, 1])]
            // (input, output, kernel, stride, padding) of each transposed convolution: 1 → 4 → 7 → 14 → 28.
            let shapes = [(latentDimension, 4 * w, 4, 1, 0), (4 * w, 2 * w, 3, 2, 1), (2 * w, w, 4, 2, 1), (w, channels, 4, 2, 1)]
            for (i, (a, b, k, s, p)) in shapes.enumerated() {
                layers.append(ConvTranspose2d(inputChannels: a, outputChannels: b, kernelSize: k, stride: s, padding: p, bias: false,
                                              initialization: initialization, using: &rng))
                if i < shapes.count - 1 {
                    layers.append(BatchNorm(features: b, initialization: initialization, using: &rng))
                    layers.append(ActivationLayer(.relu))
                }
            }
            layers.append(ActivationLayer(generatorOutput))
            return Sequential(layers)
        case let .charResNet(width, blocks):
            let (vocabulary, length) = (sampleShape[0], sampleShape[1])
            var layers: [Module] = [Linear(inputSize: latentDimension, outputSize: width * length, initialization: initialization, using: &rng),
                                    Reshape([width, length])]
            layers += (0..<blocks).map { _ in residualBlock(width: width, using: &rng) }
            layers.append(Conv1d(inputChannels: width, outputChannels: vocabulary, kernelSize: 1, initialization: initialization, using: &rng))
            layers.append(Softmax(axis: 0))
            return Sequential(layers)
        }
    }

    /// The discriminator; with a gradient-penalty objective it has no BatchNorm (as WGAN-GP's
    /// authors advise: the penalty is per sample, batch statistics would couple samples), nor
    /// with spectral normalisation. Its weights are drawn first and the vectors u and v from a
    /// stream of their own, so that a net without BatchNorm starts from the same weights with and
    /// without spectral normalisation.
    public func makeDiscriminator(batchNorm: Bool, using rng: inout RandomStream) -> Sequential {
        let network = plainDiscriminator(batchNorm: batchNorm && !spectralNormalization, using: &rng)
        if spectralNormalization {
            var vectors = rng.derived("spectral-normalization")
            network.normalizeSpectrally(using: &vectors)
        }
        return network
    }

    private func plainDiscriminator(batchNorm: Bool, using rng: inout RandomStream) -> Sequential {
        switch architecture {
        case let .mlp(depth, width, activation):
            var layers: [Module] = sampleShape.count > 1 ? [Reshape.flatten()] : []
            layers += mlpLayers(sizes: [sampleSize] + [Int](repeating: width, count: depth) + [1], activation: activation, using: &rng)
            return Sequential(layers)
        case .dcgan(let width):
            return dcganDiscriminator(width: width, batchNorm: batchNorm, using: &rng)
        case .sganMNIST(let w):
            var layers: [Module] = []
            // 28 → 14 → 7 → 4 → 1, BatchNorm after the middle two (as DCGAN's D) unless a penalty forbids it.
            let shapes = [(sampleShape[0], w, 4, 2, 1), (w, 2 * w, 4, 2, 1), (2 * w, 4 * w, 3, 2, 1), (4 * w, 1, 4, 1, 0)]
            for (i, (a, b, k, s, p)) in shapes.enumerated() {
                let normalised = batchNorm && (i == 1 || i == 2)
                layers.append(Conv2d(inputChannels: a, outputChannels: b, kernelSize: k, stride: s, padding: p, bias: !normalised,
                                     initialization: initialization, using: &rng))
                if normalised { layers.append(BatchNorm(features: b, initialization: initialization, using: &rng)) }
                if i < shapes.count - 1 { layers.append(ActivationLayer(.leakyReLU(slope: 0.2))) }
            }
            layers.append(Reshape.flatten())
            return Sequential(layers)
        case let .charResNet(width, blocks):
            let (vocabulary, length) = (sampleShape[0], sampleShape[1])
            var layers: [Module] = [Conv1d(inputChannels: vocabulary, outputChannels: width, kernelSize: 1, initialization: initialization, using: &rng)]
            layers += (0..<blocks).map { _ in residualBlock(width: width, using: &rng) }
            layers.append(Reshape.flatten())
            layers.append(Linear(inputSize: width * length, outputSize: 1, initialization: initialization, using: &rng))
            return Sequential(layers)
        }
    }

    /// WGAN-GP's language-model block: x + 0.3 · conv(ReLU(conv(ReLU(x)))), kernel 5, padding 2.
    private func residualBlock(width: Int, using rng: inout RandomStream) -> Residual {
        Residual(Sequential([
            ActivationLayer(.relu),
            Conv1d(inputChannels: width, outputChannels: width, kernelSize: 5, padding: 2, initialization: initialization, using: &rng),
            ActivationLayer(.relu),
            Conv1d(inputChannels: width, outputChannels: width, kernelSize: 5, padding: 2, initialization: initialization, using: &rng),
        ]), scale: 0.3)
    }

    private func mlpLayers(sizes: [Int], activation: Activation, using rng: inout RandomStream) -> [Module] {
        var layers: [Module] = []
        for i in 0..<(sizes.count - 1) {
            layers.append(Linear(inputSize: sizes[i], outputSize: sizes[i + 1], initialization: initialization, using: &rng))
            if i < sizes.count - 2 { layers.append(ActivationLayer(activation)) }
        }
        return layers
    }

    /// Stride-2 layers between the 4×4 (or 7×7) seed and the image.
    var upsamplings: Int {
        let size = sampleShape[1]
        return size == 28 ? 2 : size == 32 ? 3 : 4
    }

    private func dcganGenerator(using rng: inout RandomStream) -> Sequential {
        guard case .dcgan(let width) = architecture else { fatalError("not a DCGAN configuration") }
        let channels = sampleShape[0]
        let seedSize = sampleShape[1] == 28 ? 7 : 4
        // 28×28 follows the reference benchmark (256 → 128 → 1); 32 and 64 follow DCGAN (ngf·8 → … → ngf → C).
        var c = sampleShape[1] == 28 ? width * 4 : width << (upsamplings - 1)
        var layers: [Module] = [Reshape([latentDimension, 1, 1])]
        layers.append(ConvTranspose2d(inputChannels: latentDimension, outputChannels: c, kernelSize: seedSize, bias: false, initialization: initialization, using: &rng))
        layers.append(BatchNorm(features: c, initialization: initialization, using: &rng))
        layers.append(ActivationLayer(.relu))
        for i in 0..<upsamplings {
            let last = i == upsamplings - 1
            let next = last ? channels : c / 2
            layers.append(ConvTranspose2d(inputChannels: c, outputChannels: next, kernelSize: 4, stride: 2, padding: 1, bias: false,
                                          initialization: initialization, using: &rng))
            if !last {
                layers.append(BatchNorm(features: next, initialization: initialization, using: &rng))
                layers.append(ActivationLayer(.relu))
            }
            c = next
        }
        layers.append(ActivationLayer(generatorOutput))
        return Sequential(layers)
    }

    private func dcganDiscriminator(width: Int, batchNorm: Bool, using rng: inout RandomStream) -> Sequential {
        var layers: [Module] = []
        var c = sampleShape[0], size = sampleShape[1]
        for i in 0..<upsamplings {
            let next = width << i
            let normalised = batchNorm && i > 0
            layers.append(Conv2d(inputChannels: c, outputChannels: next, kernelSize: 4, stride: 2, padding: 1, bias: !normalised,
                                 initialization: initialization, using: &rng))
            if normalised { layers.append(BatchNorm(features: next, initialization: initialization, using: &rng)) }
            layers.append(ActivationLayer(.leakyReLU(slope: 0.2)))
            c = next
            size /= 2
        }
        layers.append(Reshape.flatten())
        layers.append(Linear(inputSize: c * size * size, outputSize: 1, initialization: initialization, using: &rng))
        return Sequential(layers)
    }
}
