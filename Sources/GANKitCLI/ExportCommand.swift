import ArgumentParser
import Foundation
import GANKitInterop
import GANKitNN
import GANKitSafetensors
import GANKitTraining

/// `gankit export RUN_DIR --output FILE`: one trained network for other frameworks, as
/// safetensors weights (PyTorch `state_dict` names) with the architecture file in the file's
/// metadata and beside it (FILE.json), or as an ONNX model. The formats are in `docs/formats.md`.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Export a generator or discriminator as safetensors or ONNX.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case safetensors, onnx }

    @Argument(help: ArgumentHelp("The run directory.", valueName: "RUN_DIR")) var runDirectory: String
    @Option(help: "The file to write (.safetensors or .onnx).") var output: String
    @Option(help: "safetensors (weights + FILE.json architecture) or onnx. Default: from the output's extension.") var format: Format?
    @Option(help: "0: G0 (or the only generator); 1…N: local pair N's generator. The default unless --discriminator is given.") var generator: Int?
    @Option(help: "0: D0 (or the only discriminator); 1…N: local pair N's discriminator.") var discriminator: Int?
    @Flag(help: "Replace the output files if they exist.") var overwrite = false
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        if generator != nil && discriminator != nil {
            throw ValidationError("--generator and --discriminator exclude each other: one network per file")
        }
    }

    /// The format the output's name and `--format` agree on.
    private func resolvedFormat() throws(CLIError) -> Format {
        let ext = URL(fileURLWithPath: output).pathExtension.lowercased()
        let byName = Format(rawValue: ext)
        switch (format, byName) {
        case (nil, nil): throw .badInput("invalid --output: \(output) must end in .safetensors or .onnx")
        case (let f?, let n?) where f != n: throw .badInput("invalid --output: \(output) is not a .\(f.rawValue) file (--format \(f.rawValue))")
        case (let f?, nil): throw .badInput("invalid --output: \(output) must end in .\(f.rawValue) (--format \(f.rawValue))")
        case (_, let n?): return n
        }
    }

    func run() throws {
        let format = try resolvedFormat()
        let sidecar = String(output.dropLast(URL(fileURLWithPath: output).pathExtension.count + 1)) + ".json"
        let paths = format == .safetensors ? [output, sidecar] : [output]
        for path in paths where FileManager.default.fileExists(atPath: path) && !overwrite {
            throw CLIError.badInput("invalid --output: \(path) exists (pass --overwrite to replace it)")
        }
        let loaded = try LoadedRun(runDirectory)
        let isDiscriminator = discriminator != nil
        let index = discriminator ?? generator ?? 0
        let net = isDiscriminator ? try loaded.discriminator(index) : try loaded.generator(index)
        // A spectrally normalised discriminator is exported as the plain network it computes.
        net.foldSpectralNormalization()
        let name = isDiscriminator ? loaded.discriminatorName(index) : loaded.generatorName(index)
        let source = ArchitectureFile.Source(run: loaded.directory.path, player: name, iteration: loaded.checkpoint.record.iteration)
        let architecture: ArchitectureFile
        do {
            architecture = isDiscriminator
                ? try .discriminator(net, configuration: loaded.configuration, source: source)
                : try .generator(net, configuration: loaded.configuration, source: source)
        } catch { throw CLIError.failure("cannot describe \(name): \(error)") }

        switch format {
        case .onnx:
            let model: Data
            do { model = try ONNXExport.model(architecture, tensors: net.stateDictionary) } catch {
                throw CLIError.failure("cannot export \(name) as ONNX: \(error)")
            }
            do { try model.write(to: URL(fileURLWithPath: output), options: .atomic) } catch { throw CLIError.failure("cannot write \(output): \(error)") }
            Console.current.line("wrote \(name) (\(net.parameterCount) parameters) as ONNX (opset \(ONNXExport.opsetVersion)) to \(output)")
        case .safetensors:
            let json = architecture.encoded()
            let metadata = ["format": "pt", "gankit.architecture": String(decoding: json, as: UTF8.self)]
            // Both files or neither: the weights are removed again if the description cannot be written.
            do { try SafetensorsFile(tensors: net.stateDictionary, metadata: metadata).write(to: URL(fileURLWithPath: output)) } catch {
                throw CLIError.failure("cannot write \(output): \(error)")
            }
            do { try json.write(to: URL(fileURLWithPath: sidecar), options: .atomic) } catch {
                try? FileManager.default.removeItem(atPath: output)
                throw CLIError.failure("cannot write \(sidecar): \(error) (\(output) removed again)")
            }
            Console.current.line("wrote \(name) (\(net.parameterCount) parameters) to \(output) and \(sidecar)")
        }
    }
}
