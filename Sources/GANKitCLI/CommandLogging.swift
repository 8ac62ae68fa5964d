import ArgumentParser
import Logging

/// `--log-level`, shared by every command. Messages go to standard error through the current
/// console; no global logging bootstrap, so commands can run many times in one process.
struct LoggingOptions: ParsableArguments {
    @Option(help: "Log level: trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("invalid --log-level '\(logLevel)' (use trace, debug, info, notice, warning, error or critical)")
        }
    }

    func makeLogger(_ label: String) -> Logger {
        let console = Console.current
        var logger = Logger(label: label) { _ in ConsoleLogHandler(console: console) }
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        return logger
    }
}

/// Writes `level: message` lines to a console's standard error.
struct ConsoleLogHandler: LogHandler {
    let console: Console
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        console.error("\(event.level): \(event.message)")
    }
}
