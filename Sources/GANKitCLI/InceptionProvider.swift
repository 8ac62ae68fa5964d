import Foundation
import GANKitData
import GANKitEvaluation
import GANKitMetrics
import GANKitNN
import GANKitTensor
import GANKitTraining

/// The FID Inception network from `--inception-weights`, loaded once, and the real data's
/// statistics, computed once per data set, weights file and image count and kept in the cache
/// folder (a 50,000-image set takes hours on a CPU; the same evaluation again takes none of that).
final class InceptionProvider {
    let weights: URL
    let threads: Int
    let cacheDirectory: URL
    let console: Console
    private var loaded: InceptionNetwork?
    private var weightsHash: String?
    private var statistics: [String: InceptionStatistics] = [:]

    init(weights: URL, threads: Int, cacheDirectory: URL? = nil, console: Console = .current) {
        self.weights = weights
        self.threads = threads
        self.cacheDirectory = cacheDirectory ?? ImageFolderReader.defaultCacheDirectory
        self.console = console
    }

    /// The network; a missing, unreadable or wrong weights file is bad input naming the tensor.
    func network() throws(CLIError) -> InceptionNetwork {
        if let loaded { return loaded }
        guard FileManager.default.fileExists(atPath: weights.path) else {
            throw .badInput("invalid --inception-weights: no such file: \(weights.path) (convert the official FID weights with scripts/convert-inception-weights)")
        }
        do { loaded = try InceptionNetwork(contentsOf: weights) } catch { throw .badInput("invalid --inception-weights: \(error)") }
        return loaded!
    }

    /// SHA-256 (hex) of the weights file, computed once.
    func weightsSHA256() throws(CLIError) -> String {
        if let weightsHash { return weightsHash }
        do { weightsHash = try SHA256.hex(ofFileAt: weights) } catch { throw .badInput("invalid --inception-weights: \(error)") }
        return weightsHash!
    }

    /// The statistics of `count` training images of `dataset` (evenly spread over the set, or all
    /// of them when it has fewer), from the cache when `fingerprint` (the data's, `DataIdentity`)
    /// and the weights match.
    func realStatistics(_ dataset: DatasetConfiguration, fingerprint: String, count: Int, log: (String) -> Void) throws -> InceptionStatistics {
        let network = try network()
        var hash = SHA256()
        hash.update(Array("\(fingerprint)\u{0}\(dataset)\u{0}\(count)\u{0}".utf8))
        hash.update(Array(try weightsSHA256().utf8))
        let key = String(SHA256.hex(hash.finalize()).prefix(20))
        if let cached = statistics[key] { return cached }
        let file = cacheDirectory.appendingPathComponent("fid-statistics-\(key).bin")
        if let cached = try? InceptionStatistics(contentsOf: file) {
            log("real FID statistics of \(cached.count) images from \(file.path)")
            statistics[key] = cached
            return cached
        }
        let images = try Self.realImages(dataset)
        let n = min(count, images.count)
        let progress = CountProgress(console: console, label: "Inception features of real images")
        var result = try InceptionStatistics(count: n, network: network, threads: threads, progress: { progress.update($0, of: n) }) { range in
            images.rows(range.map { $0 * images.count / n })
        }
        result.weightsSHA256 = try weightsSHA256()
        do {
            try FileManager.default.createDirectory(at: cacheDirectory, withIntermediateDirectories: true)
            try result.write(to: file)
            log("real FID statistics of \(n) images cached in \(file.path)")
        } catch {
            log("could not cache the real FID statistics in \(file.path): \(error)")  // they are still used
        }
        statistics[key] = result
        return result
    }

    /// FID and IS of `generator` against the training set's statistics.
    func evaluate(_ generator: Module, noise: LatentNoise, dataset: DatasetConfiguration, fingerprint: String,
                  samples: Int, seed: UInt64, log: (String) -> Void) throws -> InceptionEvaluation {
        let real = try realStatistics(dataset, fingerprint: fingerprint, count: samples, log: log)
        let progress = CountProgress(console: console, label: "Inception features of generated images")
        return try InceptionEvaluation.evaluate(generator: generator, noise: noise, network: try network(), real: real, samples: samples,
                                                seed: seed, threads: threads, progress: { progress.update($0, of: samples) })
    }

    /// The training images of an image data set, handed out as float rows in [−1, 1].
    private struct RealImages {
        let count: Int
        let rows: ([Int]) -> Tensor
    }

    private static func realImages(_ dataset: DatasetConfiguration) throws -> RealImages {
        switch dataset {
        case let .idx(directory, limit):
            let all = try ImageDataset.mnistLike(directory: URL(fileURLWithPath: directory), split: .train).images
            let count = min(limit ?? all.shape[0], all.shape[0])
            return RealImages(count: count) { rows in Tensor.concatenate(rows.map { all.slice(axis: 0, $0..<($0 + 1)) }) }
        case .cifar10, .imageFolder:
            let packed = try dataset.packedImages().images
            return RealImages(count: packed.count) { packed.floats(rows: $0) }
        case .toy, .text:
            throw CLIError.badInput("invalid --inception-weights: the Inception network scores images, not \(dataset)")
        }
    }
}
