import ArgumentParser
import Foundation
import GANKitData
import GANKitEvaluation
import GANKitInterop
import GANKitReport
import GANKitTensor

/// `gankit sample RUN_DIR`: samples of G0 (or a local generator) as a PNG, .npy or .csv file.
struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sample", abstract: "Draw samples from a trained generator.")

    @Argument(help: ArgumentHelp("The run directory.", valueName: "RUN_DIR")) var runDirectory: String
    @Option(help: "0: G0 (SGAN's global generator, or the only one); 1…N: local pair N's generator.") var generator = 0
    @Option(help: "Number of samples (default 64).") var count: Int?
    @Option(help: "Output file (.png grid or scatter plot, .npy or .csv; .txt for text). Default: RUN_DIR/samples-G<k>.png; text runs print their sentences.")
    var output: String?
    @Option(help: "Seed of the noise (default 0).") var seed: UInt64?
    @Option(help: ArgumentHelp("A .npy file of noise, float32 [count, latent]: the generator's input instead of drawn noise.", valueName: "Z.npy"))
    var noise: String?
    @Flag(help: "Replace the output file if it exists.") var overwrite = false
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        if let count, count < 1 { throw ValidationError("invalid --count: must be at least 1 (got \(count))") }
        if noise != nil, count != nil { throw ValidationError("--count does not apply with --noise: the noise file's rows are the samples") }
        if noise != nil, seed != nil { throw ValidationError("--seed does not apply with --noise: the noise is given") }
    }

    func run() throws {
        let loaded = try LoadedRun(runDirectory)
        let net = try loaded.generator(generator)
        var vocabulary: CharacterVocabulary?
        if case .charResNet = loaded.configuration.networks.architecture {
            do { vocabulary = try loaded.plan().textCorpus?.vocabulary } catch {
                throw CLIError.badInput("cannot read the corpus of \(loaded.directory.path), which holds its vocabulary: \(error)")
            }
        }
        let path = output ?? (vocabulary != nil ? "-" : loaded.directory.appendingPathComponent("samples-G\(generator).png").path)
        let format: SampleFormat = path == "-" ? .txt : try SampleFormat(path: path)
        if format == .txt, vocabulary == nil { throw CLIError.badInput("invalid --output: .txt applies to text runs; this run's samples are not text") }
        if path != "-", FileManager.default.fileExists(atPath: path), !overwrite {
            throw CLIError.badInput("invalid --output: \(path) exists (pass --overwrite to replace it)")
        }
        let latent = loaded.configuration.networks.latentDimension
        let noiseSource = loaded.configuration.networks.noise
        let givenNoise = try noise.map { path throws(CLIError) -> Tensor in
            let data: Data
            do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch { throw .badInput("invalid --noise: cannot read \(path)") }
            let z: Tensor
            do { z = try NumPyFile.decode(data, file: path) } catch { throw .badInput("invalid --noise: \(error)") }
            guard z.rank == 2, z.shape[1] == latent, z.shape[0] >= 1 else {
                throw .badInput("invalid --noise: \(path) has shape \(z.shape); \(loaded.generatorName(generator)) takes [count, \(latent)]")
            }
            guard z.scalars.allSatisfy(\.isFinite) else { throw .badInput("invalid --noise: \(path) holds NaN or infinite values") }
            return z
        }
        let count = givenNoise?.shape[0] ?? self.count ?? 64
        let seed = self.seed ?? 0
        // Bounded before any work: the samples are held in memory at once.
        let bytes = Double(count) * Double(loaded.configuration.networks.sampleShape.reduce(1, *) + loaded.configuration.networks.latentDimension) * 4
        let budget = Double(ProcessInfo.processInfo.physicalMemory) / 2
        if bytes > budget {
            throw CLIError.badInput(String(format: "invalid --count: %d samples need %.1f GiB, over half of this machine's memory (%.1f GiB)",
                                           count, bytes / 1_073_741_824, budget / 1_073_741_824))
        }
        let samples = givenNoise.map { GeneratorSampling.samples(net, noise: $0) }
            ?? GeneratorSampling.samples(net, noise: noiseSource, count: count, seed: seed)
        if !samples.scalars.allSatisfy(\.isFinite) {
            throw CLIError.failure("\(loaded.generatorName(generator)) produced NaN or infinite samples; nothing written")
        }
        let data: Data
        switch format {
        case .txt:
            let sentences = vocabulary!.sentences(TextEvaluation.decode(samples), length: samples.shape[2], count: count)
            data = Data(sentences.map { $0 + "\n" }.joined().utf8)
            if path == "-" {
                Console.current.write(String(decoding: data, as: UTF8.self))
                return
            }
        case .npy: data = SampleFormat.npy(samples)
        case .csv: data = SampleFormat.csv(samples)
        case .png:
            if let vocabulary {
                data = try RunSnapshots.render(vocabulary.sentences(TextEvaluation.decode(samples), length: samples.shape[2], count: count)).png()
            } else if samples.rank == 2 {
                let points = GeneratorSampling.points(samples)
                var stream = RandomStream(seed: seed).derived("real")
                let real = try loaded.plan().dataset.toy.map { try GeneratorSampling.points($0.makeSampler().sample(count: 1000, using: &stream)) } ?? []
                let color = generator == 0 ? Palette.global : Palette.localGenerator(generator)
                data = try ScatterPlot(bounds: .enclosing(real + points), series: [
                    .init(points: real, color: Palette.real, alpha: 0.5), .init(points: points, color: color, radius: 1.8, alpha: 0.8),
                ]).render().png()
            } else {
                data = try ImageGrid.render(samples).png()
            }
        }
        do { try data.write(to: URL(fileURLWithPath: path), options: .atomic) } catch { throw CLIError.failure("cannot write \(path): \(error)") }
        Console.current.line("wrote \(count) samples of \(loaded.generatorName(generator)) to \(path)")
    }
}
