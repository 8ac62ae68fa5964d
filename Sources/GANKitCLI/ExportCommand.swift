import ArgumentParser
import Foundation
import GANKitSafetensors
import GANKitTraining

/// `gankit export RUN_DIR --output FILE.safetensors`: the product generator's weights (PyTorch
/// `state_dict` names) with its architecture, the NetworkConfiguration as JSON, in the file's
/// metadata and in a sidecar FILE.json.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Export a generator as safetensors.")

    @Argument(help: ArgumentHelp("The run directory.", valueName: "RUN_DIR")) var runDirectory: String
    @Option(help: "The .safetensors file to write.") var output: String
    @Option(help: "0: G0 (or the only generator); 1…N: local pair N's generator.") var generator = 0
    @Flag(help: "Replace the output files if they exist.") var overwrite = false
    @OptionGroup var logging: LoggingOptions

    func run() throws {
        guard output.hasSuffix(".safetensors") else { throw CLIError.badInput("invalid --output: \(output) must end in .safetensors") }
        let sidecar = String(output.dropLast(".safetensors".count)) + ".json"
        for path in [output, sidecar] where FileManager.default.fileExists(atPath: path) && !overwrite {
            throw CLIError.badInput("invalid --output: \(path) exists (pass --overwrite to replace it)")
        }
        let loaded = try LoadedRun(runDirectory)
        let net = try loaded.generator(generator)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let architecture = String(decoding: try encoder.encode(loaded.configuration.networks), as: UTF8.self)
        let name = loaded.generatorName(generator)
        let description: [String: String] = [
            "format": "pt", "gankit.network": architecture, "gankit.generator": name,
            "gankit.iteration": "\(loaded.checkpoint.record.iteration)", "gankit.run": loaded.directory.path,
        ]
        // Both files or neither: the description is made first, and the weights are removed
        // again if the description cannot be written.
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let sidecarData: Data
        do {
            sidecarData = try encoder.encode(ExportDescription(generator: name, iteration: loaded.checkpoint.record.iteration,
                                                               network: loaded.configuration.networks, weights: URL(fileURLWithPath: output).lastPathComponent))
        } catch { throw CLIError.failure("cannot describe \(name): \(error)") }
        do { try SafetensorsFile(tensors: net.stateDictionary, metadata: description).write(to: URL(fileURLWithPath: output)) } catch {
            throw CLIError.failure("cannot write \(output): \(error)")
        }
        do { try sidecarData.write(to: URL(fileURLWithPath: sidecar), options: .atomic) } catch {
            try? FileManager.default.removeItem(atPath: output)
            throw CLIError.failure("cannot write \(sidecar): \(error) (\(output) removed again)")
        }
        Console.current.line("wrote \(name) (\(net.parameterCount) parameters) to \(output) and \(sidecar)")
    }
}

/// The sidecar JSON of an exported generator.
struct ExportDescription: Codable {
    var generator: String
    var iteration: Int
    var network: GANKitTraining.NetworkConfiguration
    var weights: String
}
