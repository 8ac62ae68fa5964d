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
    public static func read(files: [URL]) throws -> ImageDataset { try packed(files: files).dataset() }

    /// The records of `files`, in order, as bytes with labels.
    public static func packed(files: [URL]) throws -> PackedImages {
        guard !files.isEmpty else { throw DataError.invalidOption(name: "files", value: "[]", allowed: "at least one CIFAR-10 batch file") }
        return try decode(files.map { url in
            do { return (url.path, try Data(contentsOf: url, options: .alwaysMapped)) } catch {
                throw DataError.unreadable(path: url.path, reason: FileManager.default.fileExists(atPath: url.path) ? error.localizedDescription : "no such file")
            }
        })
    }

    /// The batches of `split` straight from the published archive `cifar-10-binary.tar.gz`
    /// (members `cifar-10-batches-bin/*.bin`), without extracting it.
    public static func read(archive: URL, split: ImageDataset.Split) throws -> ImageDataset { try packed(archive: archive, split: split).dataset() }

    /// The batches of `split` from the archive, as bytes with labels.
    public static func packed(archive: URL, split: ImageDataset.Split) throws -> PackedImages {
        let names = fileNames(split).map { "cifar-10-batches-bin/" + $0 }
        let members = try TarReader.members(of: archive) { names.contains($0) }
        return try decode(names.map { name in
            guard let data = members[name] else { throw DataError.unreadable(path: archive.path + ":" + name, reason: "no such member in the archive") }
            return (archive.path + ":" + name, data)
        })
    }

    /// The published archive's name.
    public static let archiveName = "cifar-10-binary.tar.gz"

    /// The batches of `split` from `location`: a folder holding the `.bin` files, a folder holding
    /// `cifar-10-batches-bin/` or the archive, or the archive itself.
    public static func packed(location: URL, split: ImageDataset.Split) throws -> PackedImages {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: location.path, isDirectory: &isDirectory) else { throw DataError.unreadable(path: location.path, reason: "no such file or folder") }
        guard isDirectory.boolValue else { return try packed(archive: location, split: split) }
        let first = fileNames(split)[0]
        for folder in [location, location.appendingPathComponent("cifar-10-batches-bin")]
        where manager.fileExists(atPath: folder.appendingPathComponent(first).path) {
            return try packed(files: fileNames(split).map { folder.appendingPathComponent($0) })
        }
        let archive = location.appendingPathComponent(archiveName)
        if manager.fileExists(atPath: archive.path) { return try packed(archive: archive, split: split) }
        throw DataError.unreadable(path: location.path, reason: "holds neither CIFAR-10's \(first) (or cifar-10-batches-bin/) nor \(archiveName)")
    }

    private static func fileNames(_ split: ImageDataset.Split) -> [String] {
        split == .train ? (1...5).map { "data_batch_\($0).bin" } : ["test_batch.bin"]
    }

    /// Decodes named batch contents (the names appear in errors).
    static func decode(_ contents: [(String, Data)]) throws -> PackedImages {
        var total = 0
        for (path, data) in contents {
            guard !data.isEmpty, data.count % recordSize == 0 else {
                throw DataError.badHeader(path: path, reason: "size \(data.count) bytes is not a positive multiple of the record size \(recordSize)")
            }
            total += data.count / recordSize
        }
        let pixels = recordSize - 1
        var bytes = [UInt8](repeating: 0, count: total * pixels)
        var labels = [Int](repeating: 0, count: total)
        var item = 0
        try bytes.withUnsafeMutableBufferPointer { out in
            for (path, data) in contents {
                try data.withUnsafeBytes { raw in
                    let src = raw.bindMemory(to: UInt8.self)
                    for r in 0..<(src.count / recordSize) {
                        let base = r * recordSize
                        let label = Int(src[base])
                        guard label < classCount else { throw DataError.badLabel(path: path, index: r, label: label, classCount: classCount) }
                        labels[item] = label
                        // The record is already planar CHW: copied as it is.
                        UnsafeMutableRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(out)[(item * pixels)..<((item + 1) * pixels)])
                            .copyMemory(from: UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(src)[(base + 1)..<(base + recordSize)]))
                        item += 1
                    }
                }
            }
        }
        return try PackedImages(bytes: bytes, count: total, channels: 3, height: 32, width: 32, labels: labels)
    }

    /// The standard files of `split` in a folder (`cifar-10-batches-bin` after extraction).
    public static func read(directory: URL, split: ImageDataset.Split) throws -> ImageDataset {
        try read(files: fileNames(split).map { directory.appendingPathComponent($0) })
    }
}
