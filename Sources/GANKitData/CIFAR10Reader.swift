import Foundation
import GANKitTensor

/// Reads the binary version of CIFAR-10 (`data_batch_1.bin` … `data_batch_5.bin`, `test_batch.bin`).
///
/// Each file is a sequence of 3073-byte records: one label byte (0–9), then the 32 × 32 image as
/// 1024 red, 1024 green and 1024 blue bytes (CHW, rows top to bottom) — already GANKit's layout,
/// so a record is copied straight into `[N, 3, 32, 32]` with p ↦ p/127.5 − 1.
public enum CIFAR10Reader {
    /// Bytes per record: the label and 3 × 32 × 32 pixels.
    public static let recordSize = 1 + 3 * 32 * 32
    /// The number of classes (airplane, automobile, bird, cat, deer, dog, frog, horse, ship, truck).
    public static let classCount = 10

    /// The records of `files`, in order, as one labelled data set.
    public static func read(files: [URL]) throws -> ImageDataset {
        guard !files.isEmpty else { throw DataError.invalidOption(name: "files", value: "[]", allowed: "at least one CIFAR-10 batch file") }
        return try decode(files.map { url in
            do { return (url.path, try Data(contentsOf: url, options: .alwaysMapped)) } catch {
                throw DataError.unreadable(path: url.path, reason: FileManager.default.fileExists(atPath: url.path) ? error.localizedDescription : "no such file")
            }
        })
    }

    /// The batches of `split` straight from the published archive `cifar-10-binary.tar.gz`
    /// (members `cifar-10-batches-bin/*.bin`), without extracting it.
    public static func read(archive: URL, split: ImageDataset.Split) throws -> ImageDataset {
        let names = fileNames(split).map { "cifar-10-batches-bin/" + $0 }
        let members = try TarReader.members(of: archive) { names.contains($0) }
        return try decode(names.map { name in
            guard let data = members[name] else { throw DataError.unreadable(path: archive.path + ":" + name, reason: "no such member in the archive") }
            return (archive.path + ":" + name, data)
        })
    }

    private static func fileNames(_ split: ImageDataset.Split) -> [String] {
        split == .train ? (1...5).map { "data_batch_\($0).bin" } : ["test_batch.bin"]
    }

    /// Decodes named batch contents (the names appear in errors).
    static func decode(_ contents: [(String, Data)]) throws -> ImageDataset {
        var total = 0
        for (path, data) in contents {
            guard !data.isEmpty, data.count % recordSize == 0 else {
                throw DataError.badHeader(path: path, reason: "size \(data.count) bytes is not a positive multiple of the record size \(recordSize)")
            }
            total += data.count / recordSize
        }
        var images = Tensor(uninitializedShape: [total, 3, 32, 32])
        var labels = [Int](repeating: 0, count: total)
        let pixels = recordSize - 1
        var item = 0
        try images.withUnsafeMutableBufferPointer { out in
            for (path, data) in contents {
                try data.withUnsafeBytes { raw in
                    let src = raw.bindMemory(to: UInt8.self)
                    for r in 0..<(src.count / recordSize) {
                        let base = r * recordSize
                        let label = Int(src[base])
                        guard label < classCount else { throw DataError.badLabel(path: path, index: r, label: label, classCount: classCount) }
                        labels[item] = label
                        let dst = item * pixels
                        let scale: Float = 1 / 127.5
                        for p in 0..<pixels { out[dst + p] = Float(src[base + 1 + p]) * scale - 1 }
                        item += 1
                    }
                }
            }
        }
        return try ImageDataset(images: images, labels: labels)
    }

    /// The standard files of `split` in a folder (`cifar-10-batches-bin` after extraction).
    public static func read(directory: URL, split: ImageDataset.Split) throws -> ImageDataset {
        try read(files: fileNames(split).map { directory.appendingPathComponent($0) })
    }
}
