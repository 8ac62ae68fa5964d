import ArgumentParser
import Foundation

/// The `gankit` command: train, sample, evaluate and export GANs.
///
/// Exit status: 0 on success, 2 for bad input (unknown option, malformed configuration, missing
/// data, a checkpoint that does not fit), 1 for anything else (divergence, interruption, I/O).
public struct GANKit: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "gankit",
        abstract: "Train GANs (SGAN, WeGAN) on CPUs; sample, evaluate and export trained generators.",
        subcommands: [TrainCommand.self, SampleCommand.self, EvaluateCommand.self, ExportCommand.self, ExperimentCommand.self, DataCommand.self, FIDCommand.self],
        defaultSubcommand: nil)

    public init() {}

    /// Parses and runs `arguments` (without the program name) in this process, sending standard
    /// output to `output`; returns the exit status. Tests call this directly.
    public static func run(arguments: [String], output: Console = .standard) -> Int32 {
        Console.$current.withValue(output) {
            do {
                var command = try parseAsRoot(arguments)
                try command.run()
                return 0
            } catch let error as CLIError {
                output.error("gankit: \(error.message)")
                return error.exitCode
            } catch {
                let code = exitCode(for: error)
                if code == .success {
                    output.write(fullMessage(for: error) + "\n")
                    return 0
                }
                output.error(fullMessage(for: error))
                // Usage errors (unknown options, bad values) are bad input; ArgumentParser's own
                // code for them is 64, the contract says 2.
                return code == .validationFailure ? 2 : 1
            }
        }
    }

    /// The executable's entry point.
    public static func main() -> Never {
        Foundation.exit(run(arguments: Array(CommandLine.arguments.dropFirst())))
    }
}
