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

    /// Generator `index`: 0 the product generator, 1…N a local pair's.
    func generator(_ index: Int) throws(CLIError) -> Module {
        guard (0...localPairs).contains(index) else {
            throw .badInput("invalid --generator: \(index) (this run has generators 0\(localPairs > 1 || isSGAN ? " and 1…\(localPairs)" : " and 1"))")
        }
        let prefix = index == 0 ? (isSGAN ? "global.generator.network." : "pair1.generator.network.") : "pair\(index).generator.network."
        var state: [String: Tensor] = [:]
        for (key, t) in checkpoint.tensors where key.hasPrefix(prefix) { state[String(key.dropFirst(prefix.count))] = t }
        var rng = RandomStream(seed: 0)
        let network = configuration.networks.makeGenerator(using: &rng)
        do { try network.load(stateDictionary: state) } catch { throw .badInput("checkpoint of \(directory.path) does not fit its configuration: \(error)") }
        // A diverged run's weights would make files full of NaN: refuse them by name.
        for (name, tensor) in network.stateDictionary.sorted(by: { $0.key < $1.key }) where !tensor.scalars.allSatisfy(\.isFinite) {
            throw .badInput("\(generatorName(index)) of \(directory.path) has NaN or infinite weights (\(name), iteration \(checkpoint.record.iteration)); nothing written")
        }
        return network
    }

    /// The run's data, resolved as training resolved it.
    func plan() throws(CLIError) -> RunPlan { try options.plan() }
}
