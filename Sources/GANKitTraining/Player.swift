import GANKitNN
import GANKitTensor

/// A network with its optimizer: one player of the game (a generator or a discriminator).
///
/// Everything that defines a player's future — parameters, buffers, optimizer state — is
/// reachable from here by name, so a player can be checkpointed, cloned, overwritten with another
/// (SGAN's messengers) or shipped to another process.
public final class Player: @unchecked Sendable {
    public let network: Module
    public var optimizer: any Optimizer

    public init(network: Module, optimizer: any Optimizer) {
        self.network = network
        self.optimizer = optimizer
    }

    public func update(_ gradients: [String: Tensor]) {
        optimizer.update(network, gradients: gradients)
    }
}

/// A generator and its discriminator, with the random streams that drive their updates.
public final class GANPair: @unchecked Sendable {
    public let generator: Player
    public let discriminator: Player
    /// Noise for the generator, real data, and penalty draws each have their own stream.
    public var streams: PairStreams

    public init(generator: Player, discriminator: Player, streams: PairStreams) {
        self.generator = generator
        self.discriminator = discriminator
        self.streams = streams
    }
}

/// The random streams of one pair: independent, so that one consumer drawing more (a penalty,
/// a larger batch) never shifts what the others draw.
public struct PairStreams: Codable, Sendable, Equatable {
    public var noise: RandomStream
    public var data: DataCursor
    public var penalty: RandomStream

    public init(_ root: RandomStream) {
        noise = root.derived("noise")
        data = DataCursor(stream: root.derived("data"))
        penalty = root.derived("penalty")
    }
}
