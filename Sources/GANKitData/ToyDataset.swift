import GANKitTensor

/// The typed configuration of a 2-D toy data set, as it appears in an experiment file.
///
/// Every number of the spec's table is an associated value, so an experiment can vary any of them;
/// the named presets (`ring8`, `ring8-wegan`, `ring10`, `grid25`, `swissroll`) are the spec's
/// defaults. Validation happens once, in `makeSampler()`, with errors that name the option.
public enum ToyDataset: Codable, Equatable, Hashable, Sendable {
    /// `modes` Gaussians on a circle of `radius`, each with standard deviation `std`.
    case ring(modes: Int, radius: Double, std: Double)
    /// `side × side` Gaussians on a grid centred at the origin, `spacing` apart.
    case grid(side: Int, spacing: Double, std: Double)
    /// The 2-D Swiss roll divided by `scale`, with noise of standard deviation `noise` before scaling.
    case swissRoll(scale: Double, noise: Double)

    public static let ring8 = ToyDataset.ring(modes: 8, radius: 2, std: 0.02)
    public static let ring8WeGAN = ToyDataset.ring(modes: 8, radius: 3, std: 0.1.squareRoot())
    public static let ring10 = ToyDataset.ring(modes: 10, radius: 2, std: 0.02)
    public static let grid25 = ToyDataset.grid(side: 5, spacing: 2, std: 0.05)
    public static let swissroll = ToyDataset.swissRoll(scale: 7.5, noise: 0.25)

    /// The preset names, as a command line or report spells them.
    public static let presetNames = ["ring8", "ring8-wegan", "ring10", "grid25", "swissroll"]

    /// The preset called `name` (one of `presetNames`).
    public init(preset name: String) throws {
        switch name {
        case "ring8": self = .ring8
        case "ring8-wegan": self = .ring8WeGAN
        case "ring10": self = .ring10
        case "grid25": self = .grid25
        case "swissroll": self = .swissroll
        default: throw DataError.invalidOption(name: "toy data set", value: name, allowed: Self.presetNames.joined(separator: ", "))
        }
    }

    /// The mixture behind a ring or grid (whose modes the coverage metrics need); nil for the roll.
    public func mixture() throws -> GaussianMixture? {
        switch self {
        case let .ring(modes, radius, std): try GaussianMixture.ring(modes: modes, radius: radius, std: std)
        case let .grid(side, spacing, std): try GaussianMixture.grid(side: side, spacing: spacing, std: std)
        case .swissRoll: nil
        }
    }

    /// A sampler for this configuration, after checking every option.
    public func makeSampler() throws -> any ToySampler {
        switch self {
        case let .swissRoll(scale, noise): try SwissRoll(scale: scale, noise: noise)
        default: try mixture()!
        }
    }
}
