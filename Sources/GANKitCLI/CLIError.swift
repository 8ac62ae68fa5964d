/// What went wrong, as the user should read it, and the exit status it maps to.
public struct CLIError: Error, CustomStringConvertible, Equatable {
    public enum Kind: Sendable, Equatable {
        /// The user's input cannot work (exit 2): nothing has been written.
        case badInput
        /// The run failed (exit 1): divergence, interruption, I/O.
        case failure
    }

    public let kind: Kind
    public let message: String

    public static func badInput(_ message: String) -> CLIError { CLIError(kind: .badInput, message: message) }
    public static func failure(_ message: String) -> CLIError { CLIError(kind: .failure, message: message) }

    public var exitCode: Int32 { kind == .badInput ? 2 : 1 }
    public var description: String { message }
}
