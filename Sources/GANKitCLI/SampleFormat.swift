import Foundation
import GANKitTensor

/// The file formats `gankit sample` writes, chosen by the output's extension.
enum SampleFormat: String {
    case png, npy, csv

    init(path: String) throws(CLIError) {
        let ext = URL(fileURLWithPath: path).pathExtension.lowercased()
        guard let f = SampleFormat(rawValue: ext) else { throw .badInput("invalid --output: \(path) must end in .png, .npy or .csv") }
        self = f
    }

    /// NumPy's .npy (format 1.0): float32 little-endian, C order, header padded to 64 bytes.
    static func npy(_ t: Tensor) -> Data {
        let shape = t.shape.count == 1 ? "(\(t.shape[0]),)" : "(" + t.shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': \(shape), }"
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        let length = UInt16(header.utf8.count)
        data += Data([UInt8(length & 0xFF), UInt8(length >> 8)])
        data += Data(header.utf8)
        t.withUnsafeBufferPointer { b in for v in b { withUnsafeBytes(of: v.bitPattern.littleEndian) { data += Data($0) } } }
        return data
    }

    /// One sample a row: `x,y` for 2-D data, flattened pixels for images.
    static func csv(_ t: Tensor) -> Data {
        let n = t.shape[0], d = t.count / max(n, 1)
        var text = d == 2 ? "x,y\n" : (0..<d).map { "v\($0)" }.joined(separator: ",") + "\n"
        t.withUnsafeBufferPointer { b in
            for i in 0..<n { text += (0..<d).map { "\(b[i * d + $0])" }.joined(separator: ",") + "\n" }
        }
        return Data(text.utf8)
    }
}
