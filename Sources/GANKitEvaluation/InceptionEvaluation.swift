import Foundation
import GANKitMetrics
import GANKitNN
import GANKitTensor
import GANKitTraining

/// FID and the Inception score on the FID Inception network (`InceptionNetwork`): the numbers the
/// papers and pytorch-fid report, comparable with published ones at equal sample counts.
///
/// FID is biased upward when fewer samples are used (its covariance term is estimated worse), so
/// scores are compared only at equal `samples` and `realSamples`; both are kept beside the score.
public struct InceptionEvaluation: Codable, Sendable, Equatable {
    /// Generated images scored.
    public var samples: Int
    /// Real images behind the statistics FID compares against.
    public var realSamples: Int
    /// Fréchet distance between the pool features of real and generated images.
    public var fid: Double
    /// The Inception score over `splits` parts (nil when the weights have no `fc` layer).
    public var inceptionScore: Double?
    /// Its standard deviation over the splits.
    public var inceptionScoreStandardDeviation: Double?
    public var splits: Int

    /// Salimans et al.'s 10 splits.
    public static let defaultSplits = 10
    /// Images per forward pass, as pytorch-fid's default.
    public static let batchSize = 50

    /// Scores `samples` images of `generator` (noise from `seed`, in batches of 50) against `real`.
    public static func evaluate(generator: Module, noise latent: LatentNoise, network: InceptionNetwork, real: InceptionStatistics,
                                samples: Int, seed: UInt64 = 0, threads: Int = 1,
                                progress: ((Int) -> Void)? = nil) throws -> InceptionEvaluation {
        var noise = RandomStream(seed: seed).derived("evaluation.noise")
        generator.setTraining(false)
        defer { generator.setTraining(true) }
        let features = try InceptionStatistics.features(count: samples, network: network, threads: threads, progress: progress) { range in
            generator(latent.sample(range.count, using: &noise))
        }
        let statistics = try FrechetDistance.Statistics(features: features.pool, name: "generated")
        var result = InceptionEvaluation(samples: samples, realSamples: real.count, fid: try FrechetDistance.compute(real.statistics, statistics),
                                         inceptionScore: nil, inceptionScoreStandardDeviation: nil, splits: min(defaultSplits, samples))
        if let logits = features.logits {
            let score = try InceptionScore.compute(probabilities: softmax(logits), splits: result.splits)
            (result.inceptionScore, result.inceptionScoreStandardDeviation) = (score.mean, score.standardDeviation)
        }
        return result
    }

    /// Row-wise softmax of `[N, K]` logits, in double precision before rounding to floats.
    static func softmax(_ logits: Tensor) -> Tensor {
        let (n, k) = (logits.shape[0], logits.shape[1])
        var out = Tensor(uninitializedShape: [n, k])
        logits.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { y in
                for i in 0..<n {
                    let row = x[(i * k)..<((i + 1) * k)]
                    let top = Double(row.max()!)
                    var sum = 0.0
                    for c in 0..<k { sum += exp(Double(x[i * k + c]) - top) }
                    for c in 0..<k { y[i * k + c] = Float(exp(Double(x[i * k + c]) - top) / sum) }
                }
            }
        }
        return out
    }
}

/// The mean and covariance of a set of images' pool features: what FID compares a generator
/// against. The real data's are computed once and kept in a small binary file.
public struct InceptionStatistics: Sendable, Equatable {
    public var statistics: FrechetDistance.Statistics
    /// Images they were computed from.
    public var count: Int
    /// SHA-256 (hex) of the weights file the features came from; "" when unknown. Statistics are
    /// comparable only under the same weights.
    public var weightsSHA256: String

    public init(statistics: FrechetDistance.Statistics, count: Int, weightsSHA256: String = "") {
        self.statistics = statistics
        self.count = count
        self.weightsSHA256 = weightsSHA256
    }

    /// The statistics of `count` images that `images` hands out range by range (`[n, C, H, W]` in
    /// [−1, 1]; one channel is repeated to three, as pytorch-fid's RGB conversion does).
    public init(count: Int, network: InceptionNetwork, threads: Int = 1, progress: ((Int) -> Void)? = nil,
                images: (Range<Int>) throws -> Tensor) throws {
        let features = try Self.features(count: count, network: network, threads: threads, progress: progress, images: images)
        self.init(statistics: try FrechetDistance.Statistics(features: features.pool, name: "real"), count: count)
    }

    /// Pool features (and logits) of `count` images, taken 50 at a time from `images`.
    static func features(count: Int, network: InceptionNetwork, threads: Int, progress: ((Int) -> Void)?,
                         images: (Range<Int>) throws -> Tensor) throws -> InceptionNetwork.Features {
        guard count >= 2 else { throw InceptionError.badImages(shape: [count], reason: "FID needs at least 2 images") }
        var pool = Tensor(uninitializedShape: [count, InceptionNetwork.poolDimension])
        var logits = network.hasClassifier ? Tensor(uninitializedShape: [count, InceptionNetwork.classCount]) : nil
        var start = 0
        while start < count {
            let range = start..<min(count, start + InceptionEvaluation.batchSize)
            let batch = try network.features(of: rgb(try images(range)), range: .symmetric, batchSize: InceptionEvaluation.batchSize, threads: threads)
            pool.replaceRows(startingAt: start, with: batch.pool)
            if let l = batch.logits { logits?.replaceRows(startingAt: start, with: l) }
            start = range.upperBound
            progress?(start)
        }
        return InceptionNetwork.Features(pool: pool, logits: logits)
    }

    /// `[N, 3, H, W]` as it is; `[N, 1, H, W]` with its channel repeated three times.
    static func rgb(_ images: Tensor) throws -> Tensor {
        guard images.rank == 4, images.shape[1] == 1 || images.shape[1] == 3 else {
            throw InceptionError.badImages(shape: images.shape, reason: "expected [N, 1 or 3, H, W]")
        }
        guard images.shape[1] == 1 else { return images }
        let (n, plane) = (images.shape[0], images.shape[2] * images.shape[3])
        var out = Tensor(uninitializedShape: [n, 3, images.shape[2], images.shape[3]])
        images.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { y in
                for i in 0..<n { for c in 0..<3 { (y.baseAddress! + (3 * i + c) * plane).update(from: x.baseAddress! + i * plane, count: plane) } }
            }
        }
        return out
    }

    // MARK: File

    /// "GKFIDST1", then little-endian UInt64 dimension and count, 64 ASCII bytes of the weights'
    /// SHA-256 (zeros when unknown), then the mean and the row-major covariance as little-endian
    /// Float64.
    static let magic = Array("GKFIDST1".utf8)
    static let headerSize = 8 + 16 + 64

    /// Writes the statistics to `url` atomically.
    public func write(to url: URL) throws {
        let words = [UInt64(statistics.dimension), UInt64(count)] + (statistics.mean + statistics.covariance).map(\.bitPattern)
        var data = Data(Self.magic)
        words.prefix(2).map(\.littleEndian).withUnsafeBytes { data.append(contentsOf: $0) }
        let hash = Array(weightsSHA256.utf8.prefix(64))
        data.append(contentsOf: hash + [UInt8](repeating: 0, count: 64 - hash.count))
        words.dropFirst(2).map(\.littleEndian).withUnsafeBytes { data.append(contentsOf: $0) }
        try data.write(to: url, options: .atomic)
    }

    /// Reads statistics written by `write(to:)`, checking the magic, the sizes and the values.
    public init(contentsOf url: URL) throws {
        let data = try Data(contentsOf: url)
        func bad(_ reason: String) -> InceptionError { .unreadableWeights(file: url.path, reason: "not FID statistics: \(reason)") }
        guard data.count >= 24, Array(data.prefix(8)) == Self.magic else { throw bad("no GKFIDST1 header") }
        func word(_ index: Int) -> UInt64 {
            data.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: 8 + 8 * index, as: UInt64.self)) }
        }
        let (d, count) = (word(0), word(1))
        guard d > 0, d <= 1 << 14, count >= 2, count < 1 << 40, data.count == Self.headerSize + 8 * Int(d) * (Int(d) + 1) else {
            throw bad("dimension \(d), count \(count) and \(data.count) bytes do not agree")
        }
        let hashBytes = Array(data[(data.startIndex + 24)..<(data.startIndex + Self.headerSize)]).filter { $0 != 0 }
        guard hashBytes.allSatisfy({ "0123456789abcdef".utf8.contains($0) }) else { throw bad("the weights' SHA-256 is not hexadecimal") }
        let values = data.withUnsafeBytes { raw in
            (0..<(Int(d) * (Int(d) + 1))).map {
                Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: Self.headerSize + 8 * $0, as: UInt64.self)))
            }
        }
        do {
            self.init(statistics: try FrechetDistance.Statistics(mean: Array(values[..<Int(d)]), covariance: Array(values[Int(d)...])),
                      count: Int(count), weightsSHA256: String(decoding: hashBytes, as: UTF8.self))
        } catch { throw bad("\(error)") }
    }
}
