import Foundation
import GANKitNN
import GANKitTensor
import GANKitTraining

/// A finished (or checkpointed) run read back for `sample`, `evaluate` and `export`: its options
/// and latest checkpoint. Generators are rebuilt from the checkpoint's own configuration, without
/// loading the training data.
struct LoadedRun {
    let directory: URL
    let options: TrainOptions
    let checkpoint: TrainerCheckpoint

    init(_ path: String) throws(CLIError) {
        directory = URL(fileURLWithPath: path)
        let config = directory.appendingPathComponent("config.json")
        guard FileManager.default.fileExists(atPath: config.path) else {
            throw .badInput("\(path) is not a run directory (no config.json)")
        }
        options = try ConfigFile.load(config.path)
        checkpoint = try CheckpointStore(run: directory).read()
    }

    var configuration: TrainingConfiguration { checkpoint.record.configuration }
    var localPairs: Int {
        switch configuration.topology {
        case .sgan(let o): o.pairs
        case .ensemble(let n): n
        case .single, .repeatedPair: 1
        }
    }

    /// "G0" for the product generator (SGAN's global one, or the only one), "Gk" for local pair k.
    func generatorName(_ index: Int) -> String { index == 0 ? (isSGAN ? "G0" : "G") : "G\(index)" }
    private var isSGAN: Bool { if case .sgan = configuration.topology { true } else { false } }

    /// "D0" for the product generator's discriminator (SGAN's global one), "D" for a single pair's,
    /// "Dk" for local pair k.
    func discriminatorName(_ index: Int) -> String { index == 0 ? (isSGAN ? "D0" : "D") : "D\(index)" }

    /// Generator `index`: 0 the product generator, 1…N a local pair's.
    func generator(_ index: Int) throws(CLIError) -> Sequential { try network(.generator, index) }

    /// Discriminator `index`: 0 the product generator's (SGAN's D0, or the only one), 1…N a local pair's.
    func discriminator(_ index: Int) throws(CLIError) -> Sequential { try network(.discriminator, index) }

    enum Role: String { case generator, discriminator }

    private func network(_ role: Role, _ index: Int) throws(CLIError) -> Sequential {
        let name = role == .generator ? generatorName(index) : discriminatorName(index)
        guard (0...localPairs).contains(index) else {
            throw .badInput("invalid --\(role.rawValue): \(index) (this run has \(role.rawValue)s 0\(localPairs > 1 || isSGAN ? " and 1…\(localPairs)" : " and 1"))")
        }
        let prefix = index == 0 ? (isSGAN ? "global.\(role.rawValue).network." : "pair1.\(role.rawValue).network.") : "pair\(index).\(role.rawValue).network."
        var state: [String: Tensor] = [:]
        for (key, t) in checkpoint.tensors where key.hasPrefix(prefix) { state[String(key.dropFirst(prefix.count))] = t }
        var rng = RandomStream(seed: 0)
        let network = role == .generator
            ? configuration.networks.makeGenerator(using: &rng)
            : configuration.networks.makeDiscriminator(batchNorm: !configuration.objective.kind.usesGradientPenalty, using: &rng)
        do { try network.load(stateDictionary: state) } catch { throw .badInput("checkpoint of \(directory.path) does not fit its configuration: \(error)") }
        // A diverged run's weights would make files full of NaN: refuse them by name.
        for (tensorName, tensor) in network.stateDictionary.sorted(by: { $0.key < $1.key }) where !tensor.scalars.allSatisfy(\.isFinite) {
            throw .badInput("\(name) of \(directory.path) has NaN or infinite weights (\(tensorName), iteration \(checkpoint.record.iteration)); nothing written")
        }
        return network
    }

    /// The run's data, resolved as training resolved it.
    func plan() throws(CLIError) -> RunPlan { try options.plan() }
}
