/// A report artefact that could not be written, naming the file.
public enum ReportError: Error, CustomStringConvertible, Equatable {
    case unwritable(path: String)
    case invalidImage(String)

    public var description: String {
        switch self {
        case .unwritable(let path): "cannot write \(path)"
        case .invalidImage(let message): "invalid image: \(message)"
        }
    }
}
