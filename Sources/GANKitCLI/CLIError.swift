/// What went wrong, as the user should read it, and the exit status it maps to.
public struct CLIError: Error, CustomStringConvertible, Equatable {
    public enum Kind: Sendable, Equatable {
        /// The user's input cannot work (exit 2): nothing has been written.
        case badInput
        /// The run failed (exit 1): divergence, I/O.
        case failure
        /// The user stopped it (Ctrl-C, SIGTERM): exit 130, as shells report SIGINT.
        case interrupted
    }

    public let kind: Kind
    public let message: String

    public static func badInput(_ message: String) -> CLIError { CLIError(kind: .badInput, message: message) }
    public static func failure(_ message: String) -> CLIError { CLIError(kind: .failure, message: message) }
    public static func interrupted(_ message: String) -> CLIError { CLIError(kind: .interrupted, message: message) }

    public var exitCode: Int32 {
        switch kind {
        case .badInput: 2
        case .failure: 1
        case .interrupted: 130
        }
    }
    public var description: String { message }
}
