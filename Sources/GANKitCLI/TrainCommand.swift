import ArgumentParser
import Foundation
import GANKitTraining

/// `gankit train`: every option of the training configuration as a flag, or a YAML/JSON file of
/// the same keys (`--config`), flags winning; `--resume RUN_DIR` continues a run bit for bit.
///
/// The training options are `TrainOptions.all`, read here from the words the command's own
/// options leave, so that the command line and configuration files share one declaration.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a GAN. With no options: SGAN with 5 local pairs on the 8-Gaussian ring.",
        discussion: "TRAINING OPTIONS (also the keys of a --config file, as `batch-size: 64`):\n" + TrainOptions.helpText)

    @Option(help: "YAML or JSON file of options, keys spelled like the flags (flags override it).") var config: String?
    @Option(help: ArgumentHelp("Continue the run in RUN_DIR from its last checkpoint (with --iterations N: up to N in all).", valueName: "RUN_DIR"))
    var resume: String?
    @Flag(help: "Print the JSON Schema of configuration files (every training option, its type and help) and exit.") var schema = false
    @OptionGroup var logging: LoggingOptions
    @Argument(parsing: .allUnrecognized, help: ArgumentHelp("Training options, listed above.", valueName: "training-options"))
    var trainingOptions: [String] = []

    /// The options given on the command line.
    func flags() throws(CLIError) -> TrainOptions {
        var o = try TrainOptions.parse(commandLine: trainingOptions)
        o.inceptionWeights = o.inceptionWeights.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        return o
    }

    func run() throws {
        if schema {
            Console.current.line(String(decoding: TrainOptions.jsonSchema, as: UTF8.self))
            return
        }
        let logger = logging.makeLogger("gankit.train")
        let flags = try flags()
        var options: TrainOptions
        if let resume {
            if config != nil { throw CLIError.badInput("--config and --resume cannot be combined: a resumed run keeps its own config.json") }
            if flags.initFrom != nil { throw CLIError.badInput("--init-from does not apply to a resumed run: it continues from its checkpoint") }
            if let out = flags.out, URL(fileURLWithPath: out).standardizedFileURL != URL(fileURLWithPath: resume).standardizedFileURL {
                throw CLIError.badInput("invalid --out: a resumed run stays in its directory \(resume)")
            }
            let configURL = URL(fileURLWithPath: resume).appendingPathComponent("config.json")
            guard FileManager.default.fileExists(atPath: configURL.path) else {
                throw CLIError.badInput("invalid --resume: \(resume) is not a run directory (no config.json)")
            }
            options = try ConfigFile.load(configURL.path).overridden(by: flags)
            options.out = resume
        } else if let config {
            options = try ConfigFile.load(config).overridden(by: flags)
        } else {
            options = flags
        }
        let plan = try options.plan()
        try TrainingRun(plan: plan, resuming: resume != nil, logger: logger, console: Console.current).run()
    }
}
