import Foundation
import GANKitTensor

/// Reads the IDX files of MNIST and Fashion-MNIST, as distributed (gzip-compressed) or decompressed.
///
/// IDX is a big-endian header — a magic number whose third byte is the element type (0x08 =
/// unsigned byte) and fourth the number of dimensions, then one 32-bit size per dimension — followed
/// by the elements. The reader trusts nothing: it checks the magic, the dimensions, and that the
/// file holds exactly the payload the header announces (no more, no less), before converting.
public enum IDXReader {
    /// The magic number of a 3-dimensional unsigned-byte file (images).
    public static let imagesMagic: UInt32 = 0x0000_0803
    /// The magic number of a 1-dimensional unsigned-byte file (labels).
    public static let labelsMagic: UInt32 = 0x0000_0801

    /// The images of an `*-images-idx3-ubyte[.gz]` file as a tensor `[count, 1, rows, cols]`, each
    /// pixel p mapped to p/127.5 − 1 (in [−1, 1], the range of a tanh generator).
    /// - Parameter expectedSize: if given, the required `(rows, cols)` (28 × 28 for MNIST).
    public static func readImages(at url: URL, expectedSize: (rows: Int, cols: Int)? = nil) throws -> Tensor {
        let file = try GzipFile(path: url.path)
        let header = try readHeader(file, dimensions: 3, magic: imagesMagic)
        let (count, rows, cols) = (header[0], header[1], header[2])
        guard rows > 0, cols > 0 else { throw DataError.badHeader(path: url.path, reason: "image size \(rows)×\(cols)") }
        if let expectedSize, expectedSize.rows != rows || expectedSize.cols != cols {
            throw DataError.badHeader(path: url.path, reason: "images are \(rows)×\(cols), expected \(expectedSize.rows)×\(expectedSize.cols)")
        }
        let (perImage, o1) = rows.multipliedReportingOverflow(by: cols)
        let (payload, o2) = count.multipliedReportingOverflow(by: perImage)
        guard !o1, !o2 else { throw DataError.badHeader(path: url.path, reason: "\(count) images of \(rows)×\(cols) is out of range") }
        let bytes = try readPayload(file, count: payload, headerBytes: 16)
        var images = Tensor(uninitializedShape: [count, 1, rows, cols])
        images.withUnsafeMutableBufferPointer { out in
            bytes.withUnsafeBufferPointer { src in
                let scale: Float = 1 / 127.5
                for i in 0..<src.count { out[i] = Float(src[i]) * scale - 1 }
            }
        }
        return images
    }

    /// The labels of an `*-labels-idx1-ubyte[.gz]` file; each must be below `classCount`.
    public static func readLabels(at url: URL, classCount: Int = 10) throws -> [Int] {
        let file = try GzipFile(path: url.path)
        let count = try readHeader(file, dimensions: 1, magic: labelsMagic)[0]
        let bytes = try readPayload(file, count: count, headerBytes: 8)
        var labels = [Int](repeating: 0, count: count)
        for i in 0..<count {
            let label = Int(bytes[i])
            guard label < classCount else { throw DataError.badLabel(path: url.path, index: i, label: label, classCount: classCount) }
            labels[i] = label
        }
        return labels
    }

    private static func readHeader(_ file: borrowing GzipFile, dimensions: Int, magic: UInt32) throws -> [Int] {
        // The magic first, so that a file of the wrong kind is reported as such even when it is
        // shorter than the header expected.
        var words = [UInt32](repeating: 0, count: 1 + dimensions)
        let want = 4 * words.count
        var got = try words.withUnsafeMutableBytes { try file.read(into: $0.baseAddress!, count: 4) }
        if got == 4 {
            let found = UInt32(bigEndian: words[0])
            guard found == magic else { throw DataError.badMagic(path: file.path, expected: magic, found: found) }
            got += try words.withUnsafeMutableBytes { try file.read(into: $0.baseAddress! + 4, count: want - 4) }
        }
        guard got == want else { throw DataError.truncated(path: file.path, expectedBytes: want, foundBytes: got) }
        let sizes = words.dropFirst().map { Int(UInt32(bigEndian: $0)) }
        // An IDX dimension is a signed 32-bit count; beyond that the header is garbage.
        guard sizes.allSatisfy({ $0 <= Int(Int32.max) }) else {
            throw DataError.badHeader(path: file.path, reason: "dimension sizes \(sizes) out of range")
        }
        return sizes
    }

    /// Reads exactly `count` payload bytes and checks that nothing follows them. The buffer grows
    /// with the data actually present, so a header announcing absurd sizes fails as truncated
    /// instead of allocating them.
    private static func readPayload(_ file: borrowing GzipFile, count: Int, headerBytes: Int) throws -> [UInt8] {
        var bytes = [UInt8]()
        let chunk = 8 << 20
        var filled = 0
        while filled < count {
            let want = min(chunk, count - filled)
            bytes += [UInt8](repeating: 0, count: want)
            let got = try bytes.withUnsafeMutableBytes { try file.read(into: $0.baseAddress! + filled, count: want) }
            filled += got
            if got < want {
                throw DataError.truncated(path: file.path, expectedBytes: headerBytes + count, foundBytes: headerBytes + filled)
            }
        }
        guard try file.atEnd() else { throw DataError.trailingData(path: file.path, expectedBytes: headerBytes + count) }
        return bytes
    }
}
