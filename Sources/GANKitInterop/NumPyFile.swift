import Foundation
import GANKitTensor

/// NumPy's `.npy` format (version 1.0–3.0) for float32 arrays: what `gankit sample` reads noise
/// from and writes samples to, so that the same noise drives GANKit, PyTorch and ONNX Runtime.
public enum NumPyFile {
    /// A float32, little-endian, C-order `.npy` file (version 1.0, header padded to 64 bytes).
    public static func encode(_ t: Tensor) -> Data {
        let shape = t.shape.count == 1 ? "(\(t.shape[0]),)" : "(" + t.shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': \(shape), }"
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        let length = UInt16(header.utf8.count)
        data += Data([UInt8(length & 0xFF), UInt8(length >> 8)])
        data += Data(header.utf8)
        data.reserveCapacity(data.count + t.count * 4)
        t.withUnsafeBufferPointer { b in for v in b { withUnsafeBytes(of: v.bitPattern.littleEndian) { data.append(contentsOf: $0) } } }
        return data
    }

    /// Reads a float32 array (`<f4`, or `<f8` converted), C order. Every other layout is refused
    /// with a message naming the file and what is wrong.
    public static func decode(_ data: Data, file: String) throws(InteropError) -> Tensor {
        let bytes = [UInt8](data)
        guard bytes.count >= 10, bytes[0] == 0x93, Array(bytes[1..<6]) == Array("NUMPY".utf8) else {
            throw .invalid("\(file): not a .npy file (no \\x93NUMPY magic)")
        }
        let major = bytes[6]
        let headerLength: Int, start: Int
        switch major {
        case 1:
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            start = 10
        case 2, 3:
            guard bytes.count >= 12 else { throw .invalid("\(file): truncated .npy header") }
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
            start = 12
        default: throw .invalid("\(file): .npy format version \(major) (this reads 1, 2 and 3)")
        }
        guard bytes.count >= start + headerLength else { throw .invalid("\(file): truncated .npy header") }
        let header = String(decoding: bytes[start..<(start + headerLength)], as: UTF8.self)
        guard let descr = field("descr", in: header).map({ $0.trimmingCharacters(in: CharacterSet(charactersIn: "'\"")) }) else {
            throw .invalid("\(file): .npy header has no 'descr'")
        }
        let width: Int
        switch descr {
        case "<f4": width = 4
        case "<f8": width = 8
        default: throw .invalid("\(file): dtype '\(descr)'; a float32 ('<f4') or float64 ('<f8') array is needed")
        }
        guard field("fortran_order", in: header) == "False" else { throw .invalid("\(file): Fortran-order array; save it in C order") }
        guard let shapeText = field("shape", in: header) else { throw .invalid("\(file): .npy header has no 'shape'") }
        let dims = shapeText.trimmingCharacters(in: CharacterSet(charactersIn: "()")).split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let shape = try dims.map { d throws(InteropError) -> Int in
            guard let v = Int(d), v >= 0 else { throw .invalid("\(file): bad dimension '\(d)' in shape \(shapeText)") }
            return v
        }
        // The shape comes from the file: its product is checked, since one past Int.max would trap.
        var count = 1, byteCount = width
        for dimension in shape {
            let (elements, o1) = count.multipliedReportingOverflow(by: dimension)
            let (bytesNeeded, o2) = byteCount.multipliedReportingOverflow(by: dimension)
            guard !o1, !o2 else { throw .invalid("\(file): shape \(shape) is too large to address") }
            (count, byteCount) = (elements, bytesNeeded)
        }
        let body = start + headerLength
        guard bytes.count - body == byteCount else {
            throw .invalid("\(file): shape \(shape) needs \(byteCount) bytes of data, the file has \(bytes.count - body)")
        }
        var values = [Float](repeating: 0, count: count)
        bytes.withUnsafeBytes { raw in
            for i in 0..<count {
                let offset = body + i * width
                values[i] = width == 4
                    ? Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
                    : Float(Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))))
            }
        }
        return Tensor(shape: shape, values: values)
    }

    /// The text of `key`'s value in the header's Python dict literal.
    private static func field(_ key: String, in header: String) -> String? {
        for quote in ["'", "\""] {
            guard let r = header.range(of: "\(quote)\(key)\(quote)") else { continue }
            var rest = header[r.upperBound...].drop { $0 == " " || $0 == ":" }
            if rest.first == "(" {
                guard let close = rest.firstIndex(of: ")") else { return nil }
                return String(rest[...close])
            }
            rest = rest.prefix { $0 != "," && $0 != "}" }
            return rest.trimmingCharacters(in: .whitespaces)
        }
        return nil
    }
}
