import GANKitTensor

/// A pair's players and streams (and, for SGAN, its messenger's and D0's streams) as values,
/// as they travel between ranks (copy-on-write tensors: taking one copies nothing).
struct PairState {
    var players: [(network: [String: Tensor], optimizer: [String: Tensor], step: Int)]
    var streams: [PairStreams]

    func append(to w: inout MessageWriter) {
        for player in players {
            w.append(player.network)
            w.append(player.optimizer)
            w.append(player.step)
        }
        w.append(json: streams)
    }
}

extension GANPair {
    /// The pair's players and its own streams.
    var state: PairState {
        PairState(players: [generator, discriminator].map { ($0.network.stateDictionary, $0.optimizer.state, $0.optimizer.step) },
                  streams: [streams])
    }

    /// Restores the players from `PairState.append`'s message, returning the streams sent with them
    /// (this pair's first).
    @discardableResult
    func load(from r: inout MessageReader) -> [PairStreams] {
        for player in [generator, discriminator] {
            do {
                try player.network.load(stateDictionary: r.tensors())
                try player.optimizer.restore(state: r.tensors(), step: r.int())
            } catch {
                preconditionFailure("a pair's state from another rank does not fit: \(error)")
            }
            for (_, p) in player.network.namedParameters { p.resetGraph() }
        }
        let all: [PairStreams] = r.json()
        streams = all[0]
        return all
    }
}
