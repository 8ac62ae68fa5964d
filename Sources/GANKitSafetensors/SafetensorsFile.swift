import Foundation
import GANKitTensor

/// Named tensors and string metadata in the safetensors format: GANKit's format for model weights,
/// optimizer state and checkpoints, and the one PyTorch and NumPy read with `safetensors`.
///
/// Layout: an 8-byte little-endian header length N; N bytes of UTF-8 JSON
/// `{"__metadata__": {"key": "value", …}, "name": {"dtype": "F32", "shape": [2, 3],
/// "data_offsets": [begin, end]}, …}` with offsets relative to the data section; then the data
/// section, every tensor's elements little-endian and row-major, packed without gaps.
///
/// Writing is deterministic: tensors in byte order of their names, compact JSON padded with spaces to
/// a multiple of 8 bytes, as the reference implementation writes all-`F32` files (byte for byte).
/// Reading accepts the dtypes of `SafetensorsDType`, converting them to `Float`, and validates the
/// whole file: any malformed input is a thrown `SafetensorsError`, never a crash.
public struct SafetensorsFile: Sendable {
    public var tensors: [String: Tensor]
    public var metadata: [String: String]

    /// Headers longer than this (100 MB) are rejected as absurd before anything is allocated.
    public static let maximumHeaderLength = 100_000_000

    public init(tensors: [String: Tensor] = [:], metadata: [String: String] = [:]) {
        self.tensors = tensors
        self.metadata = metadata
    }

    // MARK: Reading

    public static func read(from url: URL) throws -> SafetensorsFile {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw SafetensorsError.io(file: url.path, operation: "read", reason: error.localizedDescription)
        }
        return try decode(data, file: url.path)
    }

    /// Decodes the bytes of a safetensors file; errors name the file as `file`.
    public static func decode(_ data: Data, file: String = "<memory>") throws -> SafetensorsFile {
        try data.withUnsafeBytes { try decode($0, file: file) }
    }

    private struct Entry {
        var name: String
        var dtype: SafetensorsDType
        var shape: [Int]
        var begin: Int
        var end: Int
    }

    private static func decode(_ bytes: UnsafeRawBufferPointer, file: String) throws -> SafetensorsFile {
        guard bytes.count >= 8 else { throw SafetensorsError.fileTooShort(file: file, byteCount: bytes.count) }
        let declaredLength = UInt64(littleEndian: bytes.loadUnaligned(as: UInt64.self))
        guard declaredLength <= UInt64(maximumHeaderLength) else {
            throw SafetensorsError.headerTooLarge(file: file, headerLength: declaredLength)
        }
        let headerLength = Int(declaredLength)
        guard headerLength <= bytes.count - 8 else {
            throw SafetensorsError.headerBeyondFile(file: file, headerLength: headerLength, fileSize: bytes.count)
        }
        let header = UnsafeRawBufferPointer(rebasing: bytes[8..<(8 + headerLength)])
        guard HeaderJSON.isValidUTF8(header) else { throw SafetensorsError.headerNotUTF8(file: file) }
        let json: HeaderJSON
        do {
            json = try HeaderJSON.parse(header)
        } catch {
            throw SafetensorsError.headerNotJSON(file: file, offset: 8 + error.offset, reason: error.reason)
        }
        guard case .object(let members) = json else { throw SafetensorsError.headerNotObject(file: file) }

        let dataStart = 8 + headerLength
        let dataSize = bytes.count - dataStart
        var result = SafetensorsFile()
        var seenMetadata = false
        var entries: [Entry] = []
        var names = Set<String>()
        for member in members {
            if member.key == "__metadata__" {
                guard !seenMetadata else { throw SafetensorsError.duplicateName(file: file, name: member.key) }
                seenMetadata = true
                result.metadata = try metadata(member.value, file: file)
                continue
            }
            guard names.insert(member.key).inserted else { throw SafetensorsError.duplicateName(file: file, name: member.key) }
            entries.append(try entry(member, dataSize: dataSize, file: file))
        }

        // Disjoint ranges inside the data section that add up to its size cover it without gaps.
        entries.sort { ($0.begin, $0.end) < ($1.begin, $1.end) }
        for (previous, next) in zip(entries, entries.dropFirst()) where next.begin < previous.end {
            throw SafetensorsError.overlappingTensors(file: file, first: previous.name, second: next.name)
        }
        let covered = entries.reduce(0) { $0 + ($1.end - $1.begin) }
        guard covered == dataSize else { throw SafetensorsError.dataSectionMismatch(file: file, coveredBytes: covered, dataSize: dataSize) }

        for entry in entries {
            var tensor = Tensor(uninitializedShape: entry.shape)
            tensor.withUnsafeMutableBufferPointer { destination in
                guard let target = destination.baseAddress, destination.count > 0 else { return }
                entry.dtype.convert(bytes.baseAddress! + dataStart + entry.begin, count: destination.count, into: target)
            }
            result.tensors[entry.name] = tensor
        }
        return result
    }

    private static func metadata(_ value: HeaderJSON, file: String) throws -> [String: String] {
        let name = "__metadata__"
        if value == .null { return [:] }
        guard case .object(let members) = value else {
            throw SafetensorsError.invalidEntry(file: file, name: name, reason: "is not an object of strings")
        }
        var metadata: [String: String] = [:]
        for member in members {
            guard case .string(let text) = member.value else {
                throw SafetensorsError.invalidEntry(file: file, name: name, reason: "has a value for \"\(member.key)\" that is not a string")
            }
            guard metadata.updateValue(text, forKey: member.key) == nil else {
                throw SafetensorsError.invalidEntry(file: file, name: name, reason: "has key \"\(member.key)\" twice")
            }
        }
        return metadata
    }

    private static func entry(_ member: HeaderJSON.Member, dataSize: Int, file: String) throws -> Entry {
        let name = member.key
        func invalid(_ reason: String) -> SafetensorsError { .invalidEntry(file: file, name: name, reason: reason) }
        guard case .object(let fields) = member.value else { throw invalid("is not an object") }
        func field(_ key: String) throws -> HeaderJSON {
            let matches = fields.filter { $0.key == key }
            guard matches.count <= 1 else { throw invalid("has field \(key) twice") }
            guard let match = matches.first else { throw SafetensorsError.missingField(file: file, name: name, field: key) }
            return match.value
        }

        guard case .string(let dtypeName) = try field("dtype") else { throw invalid("has a dtype that is not a string") }
        guard let dtype = SafetensorsDType(rawValue: dtypeName) else {
            throw SafetensorsError.unknownDType(file: file, name: name, dtype: dtypeName)
        }
        guard case .array(let dimensions) = try field("shape") else { throw invalid("has a shape that is not a list of integers") }
        let shape = dimensions.compactMap(\.integer)
        guard shape.count == dimensions.count else { throw invalid("has a shape that is not a list of integers") }
        guard shape.allSatisfy({ $0 >= 0 }) else { throw SafetensorsError.negativeDimension(file: file, name: name, shape: shape) }
        guard case .array(let offsets) = try field("data_offsets"), offsets.count == 2,
              let begin = offsets[0].integer, let end = offsets[1].integer, begin >= 0, end >= 0
        else { throw invalid("has data_offsets that are not two non-negative integers [begin, end]") }
        guard begin <= end, end <= dataSize else {
            throw SafetensorsError.offsetsOutOfRange(file: file, name: name, begin: begin, end: end, dataSize: dataSize)
        }

        // Multiplied in the order Tensor does, so that an accepted shape never overflows there.
        var byteCount = 1
        for factor in shape + [dtype.byteSize] {
            let (product, overflow) = byteCount.multipliedReportingOverflow(by: factor)
            guard !overflow else { throw invalid("has a shape \(shape) too large to address") }
            byteCount = product
        }
        guard byteCount == end - begin else {
            throw SafetensorsError.sizeMismatch(file: file, name: name, expectedBytes: byteCount, actualBytes: end - begin)
        }
        return Entry(name: name, dtype: dtype, shape: shape, begin: begin, end: end)
    }

    // MARK: Writing

    /// The bytes of the file: deterministic for given tensors and metadata.
    public func encoded() throws -> Data { try encoded(file: "<memory>") }

    /// Writes the file to `url`. Atomically (the default): into a temporary file in the same folder,
    /// fsync, then rename over `url`; a failure leaves `url` as it was and no temporary file behind.
    public func write(to url: URL, atomically: Bool = true) throws {
        try AtomicFile.save(try encoded(file: url.path), to: url, atomically: atomically)
    }

    private func encoded(file: String) throws -> Data {
        if tensors["__metadata__"] != nil { throw SafetensorsError.reservedName(file: file, name: "__metadata__") }
        let names = tensors.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        var header = "{"
        var items: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            items.append("\"__metadata__\":{" + pairs.map { HeaderJSON.quoted($0.key) + ":" + HeaderJSON.quoted($0.value) }.joined(separator: ",") + "}")
        }
        var offset = 0
        for name in names {
            let tensor = tensors[name]!
            let end = offset + tensor.count * 4
            items.append(HeaderJSON.quoted(name) + ":{\"dtype\":\"F32\",\"shape\":[" + tensor.shape.map(String.init).joined(separator: ",")
                + "],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        header += items.joined(separator: ",") + "}"
        var headerBytes = Array(header.utf8)
        headerBytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: (8 - headerBytes.count % 8) % 8))

        var data = Data(capacity: 8 + headerBytes.count + offset)
        withUnsafeBytes(of: UInt64(headerBytes.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(contentsOf: headerBytes)
        for name in names {
            tensors[name]!.withUnsafeBufferPointer { elements in
                #if _endian(little)
                data.append(elements)
                #else
                for x in elements { withUnsafeBytes(of: x.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
                #endif
            }
        }
        return data
    }
}
