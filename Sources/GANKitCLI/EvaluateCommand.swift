import ArgumentParser
import Foundation

/// `gankit evaluate RUN_DIR`: the toy metrics or the classifier-based image scores of a run's
/// generator, as a table or one JSON object; also written to RUN_DIR/evaluation.json.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "evaluate", abstract: "Score a trained generator.")

    @Argument(help: ArgumentHelp("The run directory.", valueName: "RUN_DIR")) var runDirectory: String
    @Flag(help: "Print one JSON object instead of a table.") var json = false
    @Option(help: "Generated (and real) samples to score.") var samples = 2500
    @Option(help: "Bandwidth σ of MMD's Gaussian kernel (toy data).") var mmdBandwidth = 1.0
    @Option(help: "0: G0 (or the only generator); 1…N: local pair N's generator.") var generator = 0
    @Option(help: "Seed of the generated samples.") var seed: UInt64 = 0
    @Option(help: "Epochs of the image classifier, if it has to be trained.") var classifierEpochs = 6
    @Option(help: "Train the image classifier on the first N training images only (quicker, rougher).") var classifierLimit: Int?
    @Option(help: "Where a --classifier-limit classifier and the real images' FID statistics are cached (default $GANKIT_CACHE_DIR or ~/.cache/gankit).")
    var cacheDir: String?
    @Option(help: ArgumentHelp("Images: FID and IS on the FID Inception network with these weights (scripts/convert-inception-weights); "
                               + "as many real images as --samples. FID is biased upward at small counts: compare only equal counts.", valueName: "FILE"))
    var inceptionWeights: String?
    @Option(help: "Threads of the Inception network.") var threads = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8))
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard samples >= 2 else { throw ValidationError("invalid --samples: must be at least 2 (got \(samples))") }
        guard mmdBandwidth > 0, mmdBandwidth.isFinite else { throw ValidationError("invalid --mmd-bandwidth: must be positive (got \(mmdBandwidth))") }
        guard classifierEpochs >= 1 else { throw ValidationError("invalid --classifier-epochs: must be at least 1") }
        guard (1...TrainOptions.maximumThreads).contains(threads) else { throw ValidationError("invalid --threads: must be 1 to \(TrainOptions.maximumThreads) (got \(threads))") }
        if let l = classifierLimit, l < 10 { throw ValidationError("invalid --classifier-limit: must be at least 10 (got \(l))") }
    }

    func run() throws {
        let logger = logging.makeLogger("gankit.evaluate")
        let loaded = try LoadedRun(runDirectory)
        let net = try loaded.generator(generator)
        let plan = try loaded.plan()
        var evaluator = RunEvaluator(dataset: plan.dataset, noise: loaded.configuration.networks.noise, samples: samples,
                                     mmdBandwidth: mmdBandwidth, seed: seed,
                                     classifier: ClassifierProvider(epochs: classifierEpochs, limit: classifierLimit,
                                                                                   cacheDirectory: cacheDir.map { URL(fileURLWithPath: $0) }))
        if let path = inceptionWeights {
            guard plan.options.dataset?.isImage == true else {
                throw CLIError.badInput("invalid --inception-weights: applies only to image data sets (the run trained on \(plan.options.dataset?.rawValue ?? "?"))")
            }
            let provider = InceptionProvider(weights: URL(fileURLWithPath: path), threads: threads,
                                             cacheDirectory: cacheDir.map { URL(fileURLWithPath: $0) })
            _ = try provider.network()
            evaluator.inception = (provider, try DataIdentity(plan).fingerprint ?? "")
        }
        var summary: EvaluationSummary
        do { summary = try evaluator.evaluate(net) { logger.info("\($0)") } } catch let e as CLIError { throw e } catch {
            throw CLIError.failure("evaluation failed: \(error)")
        }
        summary.iteration = loaded.checkpoint.record.iteration
        summary.generator = loaded.generatorName(generator)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(summary)
        do { try data.write(to: loaded.directory.appendingPathComponent("evaluation.json"), options: .atomic) } catch {
            throw CLIError.failure("cannot write evaluation.json in \(loaded.directory.path): \(error)")
        }
        if json {
            Console.current.line(String(decoding: data, as: UTF8.self))
        } else {
            let width = summary.rows.map(\.0.count).max() ?? 0
            for (name, value) in summary.rows { Console.current.line(name.padding(toLength: width + 2, withPad: " ", startingAt: 0) + value) }
        }
    }
}
