import Foundation
import GANKitTensor
import Testing
import GANKitSafetensors

/// A malformed file and the error that must name its problem.
struct MalformedFile: Sendable, CustomTestStringConvertible {
    let label: String
    let bytes: Data
    let expected: SafetensorsError
    var testDescription: String { label }
}

private let memory = "<memory>"
private let f32x2 = littleEndianBytes([Float(1).bitPattern, Float(2).bitPattern])

private let malformedFiles: [MalformedFile] = [
    MalformedFile(label: "three bytes", bytes: Data([1, 2, 3]), expected: .fileTooShort(file: memory, byteCount: 3)),
    MalformedFile(label: "empty", bytes: Data(), expected: .fileTooShort(file: memory, byteCount: 0)),
    MalformedFile(label: "header over 100 MB", bytes: rawBytes(declaredLength: 100_000_001, rest: Array("{}".utf8)),
                  expected: .headerTooLarge(file: memory, headerLength: 100_000_001)),
    MalformedFile(label: "header length UInt64.max", bytes: rawBytes(declaredLength: .max, rest: []),
                  expected: .headerTooLarge(file: memory, headerLength: .max)),
    MalformedFile(label: "header past the end", bytes: rawBytes(declaredLength: 64, rest: Array("{}".utf8)),
                  expected: .headerBeyondFile(file: memory, headerLength: 64, fileSize: 10)),
    MalformedFile(label: "invalid UTF-8", bytes: rawBytes(declaredLength: 3, rest: [0x7B, 0xFF, 0x7D]),
                  expected: .headerNotUTF8(file: memory)),
    MalformedFile(label: "truncated JSON", bytes: safetensorsBytes(header: #"{"a":"#),
                  expected: .headerNotJSON(file: memory, offset: 13, reason: "unexpected end of header")),
    MalformedFile(label: "trailing garbage", bytes: safetensorsBytes(header: "{} x"),
                  expected: .headerNotJSON(file: memory, offset: 11, reason: "unexpected text after the header object")),
    MalformedFile(label: "array header", bytes: safetensorsBytes(header: "[1, 2]"), expected: .headerNotObject(file: memory)),
    MalformedFile(label: "duplicate tensor",
                  bytes: safetensorsBytes(header: #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, data: f32x2),
                  expected: .duplicateName(file: memory, name: "a")),
    MalformedFile(label: "duplicate metadata", bytes: safetensorsBytes(header: #"{"__metadata__":{},"__metadata__":{}}"#),
                  expected: .duplicateName(file: memory, name: "__metadata__")),
    MalformedFile(label: "entry not an object", bytes: safetensorsBytes(header: #"{"a":5}"#),
                  expected: .invalidEntry(file: memory, name: "a", reason: "is not an object")),
    MalformedFile(label: "metadata value not a string", bytes: safetensorsBytes(header: #"{"__metadata__":{"epoch":3}}"#),
                  expected: .invalidEntry(file: memory, name: "__metadata__", reason: #"has a value for "epoch" that is not a string"#)),
    MalformedFile(label: "fractional dimension", bytes: safetensorsBytes(header: #"{"a":{"dtype":"F32","shape":[1.5],"data_offsets":[0,0]}}"#),
                  expected: .invalidEntry(file: memory, name: "a", reason: "has a shape that is not a list of integers")),
    MalformedFile(label: "single offset", bytes: safetensorsBytes(header: #"{"a":{"dtype":"F32","shape":[0],"data_offsets":[0]}}"#),
                  expected: .invalidEntry(file: memory, name: "a", reason: "has data_offsets that are not two non-negative integers [begin, end]")),
    MalformedFile(label: "element count overflows",
                  bytes: safetensorsBytes(header: #"{"a":{"dtype":"F32","shape":[4611686018427387904,4,0],"data_offsets":[0,0]}}"#),
                  expected: .invalidEntry(file: memory, name: "a", reason: "has a shape [4611686018427387904, 4, 0] too large to address")),
    MalformedFile(label: "missing dtype", bytes: safetensorsBytes(header: #"{"a":{"shape":[2],"data_offsets":[0,8]}}"#, data: f32x2),
                  expected: .missingField(file: memory, name: "a", field: "dtype")),
    MalformedFile(label: "missing shape", bytes: safetensorsBytes(header: #"{"a":{"dtype":"F32","data_offsets":[0,8]}}"#, data: f32x2),
                  expected: .missingField(file: memory, name: "a", field: "shape")),
    MalformedFile(label: "missing data_offsets", bytes: safetensorsBytes(header: #"{"a":{"dtype":"F32","shape":[2]}}"#, data: f32x2),
                  expected: .missingField(file: memory, name: "a", field: "data_offsets")),
    MalformedFile(label: "unknown dtype", bytes: safetensorsBytes(header: #"{"a":{"dtype":"F8_E4M3","shape":[2],"data_offsets":[0,2]}}"#, data: [1, 2]),
                  expected: .unknownDType(file: memory, name: "a", dtype: "F8_E4M3")),
    MalformedFile(label: "negative dimension", bytes: safetensorsBytes(header: #"{"a":{"dtype":"F32","shape":[-1,2],"data_offsets":[0,8]}}"#, data: f32x2),
                  expected: .negativeDimension(file: memory, name: "a", shape: [-1, 2])),
    MalformedFile(label: "offsets reversed", bytes: safetensorsBytes(header: #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[8,4]}}"#, data: f32x2),
                  expected: .offsetsOutOfRange(file: memory, name: "a", begin: 8, end: 4, dataSize: 8)),
    MalformedFile(label: "offsets past the data", bytes: safetensorsBytes(header: #"{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#, data: f32x2),
                  expected: .offsetsOutOfRange(file: memory, name: "a", begin: 0, end: 16, dataSize: 8)),
    MalformedFile(label: "offsets shorter than the shape", bytes: safetensorsBytes(header: #"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, data: f32x2),
                  expected: .sizeMismatch(file: memory, name: "a", expectedBytes: 12, actualBytes: 8)),
    MalformedFile(label: "offsets longer than the dtype needs", bytes: safetensorsBytes(header: #"{"a":{"dtype":"F16","shape":[2],"data_offsets":[0,8]}}"#, data: f32x2),
                  expected: .sizeMismatch(file: memory, name: "a", expectedBytes: 4, actualBytes: 8)),
    MalformedFile(label: "overlapping tensors",
                  bytes: safetensorsBytes(header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#, data: f32x2 + f32x2.prefix(4)),
                  expected: .overlappingTensors(file: memory, first: "a", second: "b")),
    MalformedFile(label: "trailing data bytes", bytes: safetensorsBytes(header: #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, data: f32x2),
                  expected: .dataSectionMismatch(file: memory, coveredBytes: 4, dataSize: 8)),
    MalformedFile(label: "gap between tensors",
                  bytes: safetensorsBytes(header: #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}"#, data: f32x2 + f32x2.prefix(4)),
                  expected: .dataSectionMismatch(file: memory, coveredBytes: 8, dataSize: 12)),
]

@Test(arguments: malformedFiles)
func malformedFileIsRejectedWithItsProblem(_ file: MalformedFile) {
    #expect(throws: file.expected) { try SafetensorsFile.decode(file.bytes) }
}

@Test func tensorNamedLikeTheMetadataKeyCannotBeWritten() {
    let file = SafetensorsFile(tensors: ["__metadata__": Tensor(1)])
    #expect(throws: SafetensorsError.reservedName(file: memory, name: "__metadata__")) { try file.encoded() }
}

@Test func errorsFromDiskNameTheFileAndTheProblem() throws {
    try withTemporaryFolder { folder in
        let url = folder.appendingPathComponent("short.safetensors")
        try Data([1, 2, 3]).write(to: url)
        do {
            _ = try SafetensorsFile.read(from: url)
            Issue.record("a 3-byte file was read")
        } catch let error as SafetensorsError {
            #expect(error == .fileTooShort(file: url.path, byteCount: 3))
            #expect(error.file == url.path)
            #expect(error.description == "safetensors file \(url.path): 3 bytes is too short for the 8-byte header length")
        }
    }
}

@Test func missingFileIsAnIOErrorNamingIt() {
    let url = URL(fileURLWithPath: "/nonexistent/gankit/model.safetensors")
    #expect {
        try SafetensorsFile.read(from: url)
    } throws: { error in
        guard case .io(let file, let operation, _) = error as? SafetensorsError else { return false }
        return file == url.path && operation == "read"
    }
}

@Test func everyErrorDescriptionStartsWithTheFile() {
    for file in malformedFiles {
        #expect(file.expected.description.hasPrefix("safetensors file <memory>: "), "\(file.label)")
        #expect(file.expected.description.count > "safetensors file <memory>: ".count + 10, "\(file.label)")
    }
}
