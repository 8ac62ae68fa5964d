import Foundation
import GANKitNN
import GANKitTensor

/// Everything that determines a trainer's future, as named tensors plus a small Codable record:
/// every network's parameters and buffers, every optimizer's state, every random stream and the
/// iteration count. Restoring it into a trainer built from the same configuration continues the
/// run bit for bit.
public struct TrainerCheckpoint: Sendable {
    /// `<player>.network.<name>` and `<player>.optimizer.<name>.<slot>`, players named
    /// `pair1.generator`, …, `global.discriminator`.
    public var tensors: [String: Tensor]
    public var record: Record

    /// The non-tensor state.
    public struct Record: Codable, Sendable, Equatable {
        public var iteration: Int
        public var optimizerSteps: [String: Int]
        public var pairStreams: [PairStreams]
        public var globalStreams: PairStreams?
        public var messengerStreams: [PairStreams]
        public var globalDiscriminatorStreams: [PairStreams]
        public var configuration: TrainingConfiguration
    }

    public init(tensors: [String: Tensor], record: Record) {
        self.tensors = tensors
        self.record = record
    }
}

public enum CheckpointError: Error, CustomStringConvertible, Equatable {
    case configurationMismatch
    case missingTensor(String)
    case incompatible(String)

    public var description: String {
        switch self {
        case .configurationMismatch: "the checkpoint was written by a run with a different configuration"
        case .missingTensor(let n): "the checkpoint has no tensor '\(n)'"
        case .incompatible(let m): "the checkpoint does not fit this run: \(m)"
        }
    }
}

extension Trainer {
    /// Players by the names a checkpoint uses.
    public var namedPlayers: [(String, Player)] {
        var out: [(String, Player)] = []
        for (k, pair) in pairs.enumerated() {
            out.append(("pair\(k + 1).generator", pair.generator))
            out.append(("pair\(k + 1).discriminator", pair.discriminator))
        }
        return out + (sgan?.namedPlayers ?? [])
    }

    public func checkpoint() -> TrainerCheckpoint {
        synchronize()
        var tensors: [String: Tensor] = [:]
        var steps: [String: Int] = [:]
        for (name, player) in namedPlayers {
            for (key, t) in player.network.stateDictionary { tensors["\(name).network.\(key)"] = t }
            for (key, t) in player.optimizer.state { tensors["\(name).optimizer.\(key)"] = t }
            steps[name] = player.optimizer.step
        }
        return TrainerCheckpoint(tensors: tensors, record: .init(
            iteration: iteration, optimizerSteps: steps, pairStreams: pairs.map(\.streams), globalStreams: global?.streams,
            messengerStreams: messengerStreams, globalDiscriminatorStreams: globalDiscriminatorStreams, configuration: configuration))
    }

    /// Restores a checkpoint written by a trainer with the same configuration.
    public func restore(_ checkpoint: TrainerCheckpoint) throws(CheckpointError) {
        let r = checkpoint.record
        guard r.configuration == configuration else { throw .configurationMismatch }
        guard r.pairStreams.count == pairs.count, (r.globalStreams == nil) == (global == nil),
              r.messengerStreams.count == messengerStreams.count, r.globalDiscriminatorStreams.count == globalDiscriminatorStreams.count
        else { throw .incompatible("a different number of players") }
        for (name, player) in namedPlayers {
            var network: [String: Tensor] = [:], optimizer: [String: Tensor] = [:]
            for (key, t) in checkpoint.tensors {
                if key.hasPrefix("\(name).network.") { network[String(key.dropFirst(name.count + 9))] = t }
                if key.hasPrefix("\(name).optimizer.") { optimizer[String(key.dropFirst(name.count + 11))] = t }
            }
            do { try player.network.load(stateDictionary: network) } catch { throw .incompatible("\(name): \(error)") }
            do { try player.optimizer.restore(state: optimizer, step: r.optimizerSteps[name] ?? 0) } catch { throw .incompatible("\(name): \(error)") }
            for (_, p) in player.network.namedParameters { p.resetGraph() }
        }
        for (k, pair) in pairs.enumerated() { pair.streams = r.pairStreams[k] }
        if let g = r.globalStreams { global?.streams = g }
        topology.playersChanged()
        restoreCounters(iteration: r.iteration, messengerStreams: r.messengerStreams, globalDiscriminatorStreams: r.globalDiscriminatorStreams)
    }
}
