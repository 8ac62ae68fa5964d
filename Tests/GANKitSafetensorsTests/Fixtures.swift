import Foundation
import GANKitTensor

/// Builders shared by the tests: raw files with hand-written headers, and temporary folders.

/// A file whose header is `header` (length declared exactly), followed by `data`.
func safetensorsBytes(header: String, data: [UInt8] = []) -> Data {
    rawBytes(declaredLength: UInt64(header.utf8.count), rest: Array(header.utf8) + data)
}

/// 8 bytes declaring `declaredLength`, then `rest` verbatim.
func rawBytes(declaredLength: UInt64, rest: [UInt8]) -> Data {
    var data = Data()
    withUnsafeBytes(of: declaredLength.littleEndian) { data.append(contentsOf: $0) }
    data.append(contentsOf: rest)
    return data
}

/// The little-endian bytes of `values`.
func littleEndianBytes<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
    values.flatMap { value in withUnsafeBytes(of: value.littleEndian) { Array($0) } }
}

/// A tensor's elements as little-endian hexadecimal, as NumPy's `tobytes().hex()` prints them.
func littleEndianHex(_ tensor: Tensor) -> String {
    littleEndianBytes(tensor.scalars.map(\.bitPattern)).map { String(format: "%02x", $0) }.joined()
}

/// A fresh empty folder, removed by `body`'s end.
func withTemporaryFolder<R>(_ body: (URL) throws -> R) throws -> R {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gankit-safetensors-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    return try body(folder)
}

func contents(of folder: URL) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
}
