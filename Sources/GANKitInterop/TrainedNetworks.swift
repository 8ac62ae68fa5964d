import GANKitNN
import GANKitTraining

extension ArchitectureFile {
    /// The architecture file of a generator trained with `configuration`.
    public static func generator(_ network: Sequential, configuration: TrainingConfiguration, source: Source = Source()) throws(InteropError) -> ArchitectureFile {
        let networks = configuration.networks
        let range: [Float]? = switch networks.generatorOutput {
        case .tanh: [-1, 1]
        case .sigmoid: [0, 1]
        default: nil
        }
        var source = source
        source.objective = configuration.objective.kind.rawValue
        return try ArchitectureFile(describing: network, role: .generator, inputShape: [networks.latentDimension],
                                    noise: Noise(distribution: networks.noiseDistribution.rawValue, dimension: networks.latentDimension), outputRange: range, source: source)
    }

    /// The architecture file of a discriminator trained with `configuration`.
    public static func discriminator(_ network: Sequential, configuration: TrainingConfiguration, source: Source = Source()) throws(InteropError) -> ArchitectureFile {
        let meaning = switch configuration.objective.kind {
        case .minimax, .nonSaturating, .dragan: "logit"
        case .wgan, .wganGP, .hinge: "critic"
        case .leastSquares: "score"
        }
        var source = source
        source.objective = configuration.objective.kind.rawValue
        return try ArchitectureFile(describing: network, role: .discriminator, inputShape: configuration.networks.sampleShape,
                                    discriminatorOutput: meaning, source: source)
    }
}
