import Foundation
import GANKitTensor

/// A flat byte message: tensors (shape and raw little-endian floats), integers and JSON values,
/// read back in the order written. Floats travel bit for bit.
struct MessageWriter {
    private(set) var bytes: [UInt8] = []

    mutating func append(_ value: Int) {
        withUnsafeBytes(of: Int64(value).littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func append(_ tensor: Tensor) {
        append(tensor.rank)
        for d in tensor.shape { append(d) }
        tensor.withUnsafeBufferPointer { bytes.append(contentsOf: UnsafeRawBufferPointer($0)) }
    }

    mutating func append(_ tensors: [String: Tensor]) {
        append(tensors.count)
        for name in tensors.keys.sorted() {
            append(json: name)
            append(tensors[name]!)
        }
    }

    mutating func append<T: Encodable>(json value: T) {
        let data = try! JSONEncoder().encode(value)  // the values sent are plain Codable records
        append(data.count)
        bytes.append(contentsOf: data)
    }
}

/// Reads a `MessageWriter`'s message. A message that does not parse is a bug on one side (both
/// sides run the same build), so it stops with the field that failed.
struct MessageReader {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    private mutating func take(_ count: Int) -> ArraySlice<UInt8> {
        precondition(count >= 0 && offset + count <= bytes.count, "a truncated message (\(bytes.count) bytes, reading \(count) at \(offset))")
        defer { offset += count }
        return bytes[offset..<(offset + count)]
    }

    mutating func int() -> Int {
        var value: Int64 = 0
        withUnsafeMutableBytes(of: &value) { $0.copyBytes(from: take(8)) }
        return Int(Int64(littleEndian: value))
    }

    mutating func tensor() -> Tensor {
        let rank = int()
        let shape = (0..<rank).map { _ in int() }
        var t = Tensor(uninitializedShape: shape)
        let raw = take(t.count * 4)
        t.withUnsafeMutableBufferPointer { UnsafeMutableRawBufferPointer($0).copyBytes(from: raw) }
        return t
    }

    mutating func tensors() -> [String: Tensor] {
        var out: [String: Tensor] = [:]
        for _ in 0..<int() {
            let name: String = json()
            out[name] = tensor()
        }
        return out
    }

    mutating func json<T: Decodable>() -> T {
        let data = Data(take(int()))
        do { return try JSONDecoder().decode(T.self, from: data) } catch { preconditionFailure("a message's \(T.self) does not decode: \(error)") }
    }
}
