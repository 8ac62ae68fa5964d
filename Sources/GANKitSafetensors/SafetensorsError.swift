/// Why a safetensors file could not be read or written. Every case names the file (`"<memory>"` for
/// bytes decoded without one) and, where it helps, the tensor and the offending numbers.
public enum SafetensorsError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Fewer than the 8 bytes that hold the header length.
    case fileTooShort(file: String, byteCount: Int)
    /// The header length is beyond `SafetensorsFile.maximumHeaderLength` (100 MB).
    case headerTooLarge(file: String, headerLength: UInt64)
    /// The header length runs past the end of the file.
    case headerBeyondFile(file: String, headerLength: Int, fileSize: Int)
    case headerNotUTF8(file: String)
    /// `offset` counts from the start of the file.
    case headerNotJSON(file: String, offset: Int, reason: String)
    case headerNotObject(file: String)
    case duplicateName(file: String, name: String)
    /// An entry (or `__metadata__`) of the wrong form: not an object, a field of the wrong type,
    /// a shape whose element count overflows.
    case invalidEntry(file: String, name: String, reason: String)
    case missingField(file: String, name: String, field: String)
    case unknownDType(file: String, name: String, dtype: String)
    case negativeDimension(file: String, name: String, shape: [Int])
    /// `data_offsets` reversed or beyond the data section.
    case offsetsOutOfRange(file: String, name: String, begin: Int, end: Int, dataSize: Int)
    /// `data_offsets` do not span shape × dtype size bytes.
    case sizeMismatch(file: String, name: String, expectedBytes: Int, actualBytes: Int)
    case overlappingTensors(file: String, first: String, second: String)
    /// The tensors do not cover the data section exactly (a gap between them, or trailing bytes).
    case dataSectionMismatch(file: String, coveredBytes: Int, dataSize: Int)
    /// A tensor may not be called `__metadata__`: the header keeps the metadata under that key.
    case reservedName(file: String, name: String)
    /// The operating system refused a read, write, sync or rename.
    case io(file: String, operation: String, reason: String)

    /// The file the error is about.
    public var file: String {
        switch self {
        case .fileTooShort(let file, _), .headerTooLarge(let file, _), .headerBeyondFile(let file, _, _),
             .headerNotUTF8(let file), .headerNotJSON(let file, _, _), .headerNotObject(let file),
             .duplicateName(let file, _), .invalidEntry(let file, _, _), .missingField(let file, _, _),
             .unknownDType(let file, _, _), .negativeDimension(let file, _, _), .offsetsOutOfRange(let file, _, _, _, _),
             .sizeMismatch(let file, _, _, _), .overlappingTensors(let file, _, _), .dataSectionMismatch(let file, _, _),
             .reservedName(let file, _), .io(let file, _, _):
            file
        }
    }

    public var description: String {
        "safetensors file \(file): " + problem
    }

    private var problem: String {
        switch self {
        case .fileTooShort(_, let count):
            "\(count) bytes is too short for the 8-byte header length"
        case .headerTooLarge(_, let length):
            "header length \(length) is absurd (the limit is \(SafetensorsFile.maximumHeaderLength) bytes)"
        case .headerBeyondFile(_, let length, let size):
            "header length \(length) runs past the end of the \(size)-byte file"
        case .headerNotUTF8:
            "header is not valid UTF-8"
        case .headerNotJSON(_, let offset, let reason):
            "header is not valid JSON at byte \(offset): \(reason)"
        case .headerNotObject:
            "header is not a JSON object"
        case .duplicateName(_, let name):
            "tensor \"\(name)\" appears more than once"
        case .invalidEntry(_, let name, let reason):
            "entry \"\(name)\" \(reason)"
        case .missingField(_, let name, let field):
            "tensor \"\(name)\" has no \(field)"
        case .unknownDType(_, let name, let dtype):
            "tensor \"\(name)\" has unknown dtype \"\(dtype)\" (known: \(SafetensorsDType.allCases.map(\.rawValue).joined(separator: ", ")))"
        case .negativeDimension(_, let name, let shape):
            "tensor \"\(name)\" has a negative dimension in shape \(shape)"
        case .offsetsOutOfRange(_, let name, let begin, let end, let size):
            "tensor \"\(name)\" has data_offsets [\(begin), \(end)] outside the \(size)-byte data section"
        case .sizeMismatch(_, let name, let expected, let actual):
            "tensor \"\(name)\" needs \(expected) bytes for its shape and dtype but its data_offsets span \(actual)"
        case .overlappingTensors(_, let first, let second):
            "the data of tensors \"\(first)\" and \"\(second)\" overlap"
        case .dataSectionMismatch(_, let covered, let size):
            "the tensors cover \(covered) bytes of the \(size)-byte data section (gap or trailing bytes)"
        case .reservedName(_, let name):
            "\"\(name)\" is reserved for the metadata and cannot name a tensor"
        case .io(_, let operation, let reason):
            "\(operation) failed: \(reason)"
        }
    }
}
