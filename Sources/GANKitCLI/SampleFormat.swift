import Foundation
import GANKitInterop
import GANKitTensor

/// The file formats `gankit sample` writes, chosen by the output's extension.
enum SampleFormat: String {
    case png, npy, csv, txt

    init(path: String) throws(CLIError) {
        let ext = URL(fileURLWithPath: path).pathExtension.lowercased()
        guard let f = SampleFormat(rawValue: ext) else { throw .badInput("invalid --output: \(path) must end in .png, .npy, .csv or .txt") }
        self = f
    }

    /// NumPy's .npy: float32 little-endian, C order.
    static func npy(_ t: Tensor) -> Data { NumPyFile.encode(t) }

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
