import GANKitNN
import GANKitTensor

/// SGAN's weight sharing ("N-SW", §4 and appendix B): some layers are shared among the local
/// generators (their last ones, nearest the data) and among the local discriminators (their first
/// ones). Each pair computes gradients for the shared layers as usual but leaves them unchanged;
/// the gradients are averaged over the pairs (and over a pair's discriminator steps) and applied
/// once per iteration by one optimizer, whose result every pair then adopts. The pairs thus still
/// run in parallel and deterministically. The global pair shares nothing.
final class SharedLayers: @unchecked Sendable {
    /// The master copy of the shared parameters and their optimizer (checkpointed as a player).
    let player: Player
    let names: Set<String>

    /// Shares the first (`fromStart`) or last `count` parameterised layers of `networks`, starting
    /// all pairs from the first network's values.
    /// More layers than the networks have is a `ConfigurationError` naming `option`.
    init?(count: Int, fromStart: Bool, networks: [Module], optimizer: any Optimizer, option: String) throws(ConfigurationError) {
        guard count > 0, let first = networks.first else { return nil }
        var layers: [String] = []
        for (name, _) in first.namedParameters {
            let layer = name.split(separator: ".").dropLast().joined(separator: ".")
            if layers.last != layer { layers.append(layer) }
        }
        guard count < layers.count else {
            throw ConfigurationError(option, "the networks have \(layers.count) layers with parameters; share at most \(layers.count - 1) "
                                     + "(sharing all \(layers.count) would make the local pairs one network) (got \(count))")
        }
        let chosen = Set(fromStart ? layers.prefix(count) : layers.suffix(count))
        let entries = first.namedParameters.filter { chosen.contains($0.0.split(separator: ".").dropLast().joined(separator: ".")) }
        names = Set(entries.map(\.0))
        player = Player(network: ParameterGroup(entries.map { ($0.0, Parameter($0.1.value)) }), optimizer: optimizer)
        for network in networks.dropFirst() { adopt(into: network) }
    }

    /// Splits a pair's gradients into those it applies itself and the shared ones.
    func split(_ gradients: [String: Tensor]) -> (local: [String: Tensor], shared: [String: Tensor]) {
        var local = gradients, shared: [String: Tensor] = [:]
        for name in names { shared[name] = local.removeValue(forKey: name) }
        return (local, shared)
    }

    /// Applies the mean of the pairs' shared gradients once, then `constrain` (WGAN's clipping) to
    /// the master copy itself, and gives every pair the result. Constraining only the pairs'
    /// copies would leave the master, which the next update starts from, unconstrained.
    func update(with perPair: [[String: Tensor]], networks: [Module], constrain: (Module) -> Void = { _ in }) {
        var mean = LayerSharing.sum(perPair)
        let scale = 1 / Float(perPair.count)
        for key in mean.keys { mean[key] = mean[key]! * scale }
        player.update(mean)
        constrain(player.network)
        for network in networks { adopt(into: network) }
    }

    /// Copies the master values into `network` (copy-on-write: no data is copied).
    func adopt(into network: Module) {
        let master = Dictionary(uniqueKeysWithValues: player.network.namedParameters)
        for (name, p) in network.namedParameters { if let m = master[name] { p.value = m.value } }
    }
}

/// N-SW's two sharings: the local generators' last layers and the local discriminators' first.
struct LayerSharing: Sendable {
    let generator: SharedLayers?
    let discriminator: SharedLayers?

    /// Nil when the options share no layer.
    init?(_ options: SGANOptions, pairs: [GANPair], configuration: TrainingConfiguration) throws(ConfigurationError) {
        generator = try SharedLayers(count: options.sharedGeneratorLayers, fromStart: false, networks: pairs.map(\.generator.network),
                                     optimizer: configuration.resolvedGeneratorOptimizer.make(), option: "shared-generator-layers")
        discriminator = try SharedLayers(count: options.sharedDiscriminatorLayers, fromStart: true, networks: pairs.map(\.discriminator.network),
                                         optimizer: configuration.resolvedDiscriminatorOptimizer.make(), option: "shared-discriminator-layers")
        if generator == nil && discriminator == nil { return nil }
    }

    /// The shared layers' one update per iteration, from every local pair's statistics, after
    /// all their steps.
    func update(from statistics: [PairStatistics], pairs: [GANPair], constrain: (Module) -> Void) {
        generator?.update(with: statistics.map { $0.sharedGeneratorGradients ?? [:] }, networks: pairs.map(\.generator.network))
        discriminator?.update(with: statistics.map { $0.sharedDiscriminatorGradients ?? [:] }, networks: pairs.map(\.discriminator.network),
                              constrain: constrain)
    }

    /// The master copies, by the names a checkpoint uses.
    var namedPlayers: [(String, Player)] {
        [generator.map { ("shared.generator", $0.player) }, discriminator.map { ("shared.discriminator", $0.player) }].compactMap { $0 }
    }

    /// Sums gradient dictionaries in order (N-SW averages its shared layers' gradients over the pairs).
    static func sum(_ parts: [[String: Tensor]]) -> [String: Tensor] {
        var total = parts[0]
        for part in parts.dropFirst() {
            for (name, g) in part { total[name]!.addScaled(g) }
        }
        return total
    }
}

/// A flat set of named parameters: the shared layers' master copy.
final class ParameterGroup: Module, @unchecked Sendable {
    let entries: [(String, Parameter)]
    init(_ entries: [(String, Parameter)]) { self.entries = entries }
    override var localParameters: [(String, Parameter)] { entries }
    override func copy() -> Module { ParameterGroup(entries.map { ($0.0, Parameter($0.1.value)) }) }
}
