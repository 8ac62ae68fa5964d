import GANKitNN
import GANKitTensor

/// Why weights given to start a run from do not fit it.
public enum InitialWeightsError: Error, CustomStringConvertible, Equatable {
    case unknownPrefix(tensor: String, allowed: [String])
    case doesNotFit(prefix: String, ModuleError)
    case unsupported(String)

    public var description: String {
        switch self {
        case let .unknownPrefix(tensor, allowed):
            "tensor '\(tensor)' names no network of this run: prefix each name with \(allowed.map { "'\($0).'" }.joined(separator: ", "))"
        case let .doesNotFit(prefix, error):
            switch error {
            case .missing(let n): "tensor '\(prefix).\(n)' is missing: the weights under '\(prefix).' must cover the whole network"
            case .unexpected(let n): "tensor '\(prefix).\(n)' does not belong to the network"
            case let .shapeMismatch(n, expected, found): "tensor '\(prefix).\(n)' has shape \(found), the network expects \(expected)"
            }
        case .unsupported(let m): m
        }
    }
}

extension Trainer {
    /// Starts players from given weights, e.g. trained in PyTorch, before the first iteration.
    ///
    /// Names are PyTorch `state_dict` names under a prefix: `generator.` and `discriminator.` set
    /// every generator or discriminator of the run; `G0.`/`D0.` (SGAN's global pair) and
    /// `G1.`…`GN.`/`D1.`…`DN.` (local pairs) set one player and win over the role-wide prefix.
    /// Every network named must be covered completely, shape by shape. PyTorch's BatchNorm
    /// `num_batches_tracked` counters are ignored. Returns the players set, by prefix.
    @discardableResult
    public func loadInitialWeights(_ tensors: [String: Tensor]) throws(InitialWeightsError) -> [String] {
        if sgan?.sharing != nil {
            throw .unsupported("initial weights do not apply to a run with weight sharing (N-SW)")
        }
        var players: [(prefix: String, player: Player)] = []
        for (k, pair) in pairs.enumerated() {
            players.append(("G\(k + 1)", pair.generator))
            players.append(("D\(k + 1)", pair.discriminator))
        }
        if let global {
            players.append(("G0", global.generator))
            players.append(("D0", global.discriminator))
        }
        let allowed = ["generator", "discriminator"] + players.map(\.prefix)
        var groups: [String: [String: Tensor]] = [:]
        for (name, tensor) in tensors where !name.hasSuffix(".num_batches_tracked") {
            let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
            guard parts.count == 2, allowed.contains(parts[0]) else { throw .unknownPrefix(tensor: name, allowed: allowed) }
            groups[parts[0], default: [:]][parts[1]] = tensor
        }
        // Check everything before changing anything.
        var assignments: [(Player, [String: Tensor], String)] = []
        for (role, isGenerator) in [("generator", true), ("discriminator", false)] {
            guard let state = groups[role] else { continue }
            for (prefix, player) in players where prefix.hasPrefix(isGenerator ? "G" : "D") { assignments.append((player, state, role)) }
        }
        for (prefix, player) in players { if let state = groups[prefix] { assignments.append((player, state, prefix)) } }
        for (player, state, prefix) in assignments {
            let trial = player.network.copy()
            do { try trial.load(stateDictionary: state) } catch { throw .doesNotFit(prefix: prefix, error) }
        }
        for (player, state, _) in assignments { try! player.network.load(stateDictionary: state) }
        topology.playersChanged()
        return Array(Set(assignments.map(\.2))).sorted()
    }
}
