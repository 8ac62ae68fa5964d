import Foundation
import GANKitData
import GANKitTraining

/// What a run trains on, recorded in its checkpoint manifest: the data set, where it was read
/// from, the options that select from it, and a SHA-256 over the files read. A resume on other
/// data would continue from cursors into a different data set; it is refused, naming the option.
struct DataIdentity: Codable, Equatable {
    var dataset: String
    var directory: String?
    var limit: Int?
    var sequenceLength: Int?
    var vocabulary: Int?
    /// SHA-256 over the names and contents of the files read; nil for generated (toy) data.
    var fingerprint: String?

    enum CodingKeys: String, CodingKey {
        case dataset, directory, limit, sequenceLength = "sequence_length", vocabulary, fingerprint
    }

    init(_ plan: RunPlan) throws(CLIError) {
        let o = plan.options
        dataset = o.dataset?.rawValue ?? "?"
        switch plan.dataset {
        case .toy:
            break
        case let .idx(directory, limit):
            self.directory = directory
            self.limit = limit
            let url = URL(fileURLWithPath: directory)
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasPrefix("train-") }.sorted()
            fingerprint = try Self.fingerprint(names.map { url.appendingPathComponent($0) }, relativeTo: url)
        case let .text(path, layout, length, limit):
            directory = path
            sequenceLength = length
            vocabulary = limit
            let files: [URL]
            do { files = try TextCorpus.files(under: URL(fileURLWithPath: path), layout: layout) } catch { throw .badInput("invalid --data-dir: \(error)") }
            fingerprint = try Self.fingerprint(files, relativeTo: URL(fileURLWithPath: path))
        case let .cifar10(directory, limit):
            self.directory = directory
            self.limit = limit
            let root = URL(fileURLWithPath: directory)
            var files = [root]
            if let names = try? FileManager.default.contentsOfDirectory(atPath: directory) {
                let bins = root.appendingPathComponent("cifar-10-batches-bin")
                let batchFolder = names.contains("data_batch_1.bin") ? root : names.contains("cifar-10-batches-bin") ? bins : nil
                files = batchFolder.map { f in (1...5).map { f.appendingPathComponent("data_batch_\($0).bin") } }
                    ?? [root.appendingPathComponent(CIFAR10Reader.archiveName)]
            }
            fingerprint = try Self.fingerprint(files, relativeTo: root)
        case let .imageFolder(directory, size, channels, skip, limit):
            self.directory = directory
            self.limit = limit
            // Names, sizes and modification times: hashing 200,000 photographs would take minutes.
            let folder = URL(fileURLWithPath: directory)
            do {
                let reader = try ImageFolderReader(size: size, color: channels.map { $0 == 1 ? .grayscale : .rgb })
                fingerprint = reader.fingerprint(folder: folder, files: try reader.imageFiles(in: folder), skipBadImages: skip)
            } catch { throw .badInput("invalid --data-dir: \(error)") }
        }
    }

    /// Why a resume with `current` data cannot continue a run that trained on `self`, or nil.
    func mismatch(_ current: DataIdentity) -> String? {
        if dataset != current.dataset { return "invalid --dataset: the run trained on \(dataset), not \(current.dataset)" }
        if directory != current.directory {
            return "invalid --data-dir: the run trained on \(directory ?? "generated data"), not \(current.directory ?? "generated data")"
        }
        if limit != current.limit {
            return "invalid --mnist-limit: the run trained on \(limit.map { "the first \($0) images" } ?? "every image"), not \(current.limit.map { "the first \($0)" } ?? "every image")"
        }
        if sequenceLength != current.sequenceLength {
            return "invalid --sequence-length: the run trained on \(sequenceLength ?? 0), not \(current.sequenceLength ?? 0)"
        }
        if vocabulary != current.vocabulary { return "invalid --vocabulary: the run trained with \(vocabulary ?? 0), not \(current.vocabulary ?? 0)" }
        if let a = fingerprint, let b = current.fingerprint, a != b {
            return "the data in \(directory ?? "?") changed since the run started (SHA-256 \(b.prefix(12))…, the run's \(a.prefix(12))…); "
                + "a resumed run continues on the data it started with"
        }
        return nil
    }

    /// SHA-256 over each file's path relative to `root`, its size and its bytes, in order.
    static func fingerprint(_ files: [URL], relativeTo root: URL) throws(CLIError) -> String {
        var hash = SHA256()
        for file in files {
            let data: Data
            do { data = try Data(contentsOf: file, options: .mappedIfSafe) } catch { throw .badInput("cannot read \(file.path): \(error.localizedDescription)") }
            let name = file.path.hasPrefix(root.path) ? String(file.path.dropFirst(root.path.count)) : file.lastPathComponent
            hash.update(Array("\(name)\u{0}\(data.count)\u{0}".utf8))
            hash.update(data)
        }
        return SHA256.hex(hash.finalize())
    }
}
