import Foundation
import GANKitData
import GANKitTensor

/// Where real samples come from: a distribution to sample (toy data) or a finite data set to
/// shuffle through. Sources are shared read-only; each consumer keeps its own `DataCursor`.
public protocol RealDataSource: Sendable {
    /// Shape of one sample (`[2]`, `[1, 28, 28]`, …).
    var sampleShape: [Int] { get }
    /// The next `count` real samples for the consumer at `cursor`, advancing it.
    func nextBatch(_ count: Int, cursor: inout DataCursor) -> Tensor
}

/// A consumer's position in a data source: its random stream and, for finite data sets, the
/// epoch and the position in that epoch's permutation. Codable, so a resumed run continues the
/// same sequence of batches.
public struct DataCursor: Codable, Sendable, Equatable {
    public var stream: RandomStream
    public var epoch = 0
    public var position = 0

    public init(stream: RandomStream) { self.stream = stream }
}

/// A distribution sampled fresh for every batch (the toy data sets), given as a function of the
/// batch size and a random stream.
public struct SampledDataSource: RealDataSource {
    public let sampleShape: [Int]
    private let sample: @Sendable (Int, inout RandomStream) -> Tensor

    public init(sampleShape: [Int], sample: @escaping @Sendable (Int, inout RandomStream) -> Tensor) {
        self.sampleShape = sampleShape
        self.sample = sample
    }

    public func nextBatch(_ count: Int, cursor: inout DataCursor) -> Tensor { sample(count, &cursor.stream) }
}

/// A finite data set visited in a fresh random order every epoch, without copying it.
public struct ShuffledDataSource: RealDataSource {
    public let samples: Tensor
    public var sampleShape: [Int] { Array(samples.shape.dropFirst()) }
    private let permutations = PermutationCache()

    public init(samples: Tensor) { self.samples = samples }

    public func nextBatch(_ count: Int, cursor: inout DataCursor) -> Tensor {
        samples.gatherRows(permutations.nextIndices(count, of: samples.shape[0], cursor: &cursor))
    }
}

/// An image data set held as bytes (`PackedImages`), visited like `ShuffledDataSource`: only a
/// batch's images become floats. The batch after each one is converted ahead, on a background
/// thread, while the networks train on the current one.
public struct PackedImageSource: RealDataSource {
    public let images: PackedImages
    public var sampleShape: [Int] { images.imageShape }
    private let permutations = PermutationCache()
    private let prefetcher = BatchPrefetcher()

    public init(images: PackedImages) { self.images = images }

    public func nextBatch(_ count: Int, cursor: inout DataCursor) -> Tensor {
        let key = BatchPrefetcher.Key(cursor, count)
        let batch: Tensor
        if let ready = prefetcher.take(key) {
            batch = ready
            _ = permutations.nextIndices(count, of: images.count, cursor: &cursor)
        } else {
            batch = images.floats(rows: permutations.nextIndices(count, of: images.count, cursor: &cursor))
        }
        // The next batch of this consumer is a pure function of its advanced cursor.
        var next = cursor
        let rows = permutations.nextIndices(count, of: images.count, cursor: &next)
        let images = self.images
        prefetcher.start(BatchPrefetcher.Key(cursor, count)) { images.floats(rows: rows) }
        return batch
    }
}

/// Batches computed ahead on a background thread, one pending batch per consumer, each found by
/// the cursor it was computed for: a consumer whose cursor moved elsewhere (a resume, another
/// batch size) simply computes its batch itself, so prefetching never changes a result.
final class BatchPrefetcher: @unchecked Sendable {
    struct Key: Hashable {
        let stream: UInt64, epoch: Int, position: Int, count: Int
        init(_ cursor: DataCursor, _ count: Int) {
            stream = cursor.stream.key; epoch = cursor.epoch; position = cursor.position; self.count = count
        }
    }

    private final class Pending: @unchecked Sendable {
        let done = DispatchSemaphore(value: 0)
        var batch: Tensor?
    }

    private let lock = NSLock()
    private var pending: [UInt64: (Key, Pending)] = [:]
    private let queue = DispatchQueue(label: "gankit.prefetch", qos: .userInitiated)

    /// Starts computing the batch of `key`, replacing the consumer's previous pending batch.
    func start(_ key: Key, _ make: @escaping @Sendable () -> Tensor) {
        let entry = Pending()
        lock.withLock { pending[key.stream] = (key, entry) }
        queue.async {
            entry.batch = make()
            entry.done.signal()
        }
    }

    /// The batch of `key` if it was started (waiting for it to finish), else nil.
    func take(_ key: Key) -> Tensor? {
        let entry: Pending? = lock.withLock {
            guard let (k, e) = pending[key.stream], k == key else { return nil }
            pending[key.stream] = nil
            return e
        }
        guard let entry else { return nil }
        entry.done.wait()
        return entry.batch
    }
}

/// A text corpus visited like `ShuffledDataSource`, each sentence delivered one-hot as
/// `[vocabulary, length]`: the symbols are kept as 16-bit indices, so a corpus costs two bytes a
/// character rather than four times the vocabulary.
public struct TextDataSource: RealDataSource {
    public let corpus: TextCorpus
    public var sampleShape: [Int] { [corpus.vocabulary.count, corpus.sequenceLength] }
    private let permutations = PermutationCache()

    public init(corpus: TextCorpus) { self.corpus = corpus }

    public func nextBatch(_ count: Int, cursor: inout DataCursor) -> Tensor {
        let indices = permutations.nextIndices(count, of: corpus.trainingCount, cursor: &cursor)
        return Self.oneHot(corpus.training, sentences: indices, vocabulary: corpus.vocabulary.count, length: corpus.sequenceLength)
    }

    /// `[sentences.count, vocabulary, length]` with a 1 at each position's symbol.
    public static func oneHot(_ symbols: [UInt16], sentences: [Int], vocabulary: Int, length: Int) -> Tensor {
        var out = Tensor.zeros([sentences.count, vocabulary, length])
        out.withUnsafeMutableBufferPointer { o in
            for (row, sentence) in sentences.enumerated() {
                let base = row * vocabulary * length
                for position in 0..<length { o[base + Int(symbols[sentence * length + position]) * length + position] = 1 }
            }
        }
        return out
    }
}

/// The most recent epoch permutations, so a batch costs its own size and not the data set's.
final class PermutationCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [Key: [Int]] = [:]

    private struct Key: Hashable {
        let stream: UInt64, epoch: Int, count: Int
    }

    /// The next `count` indices into a data set of `n` items for the consumer at `cursor`: each
    /// epoch a fresh permutation, advancing the cursor across epochs.
    func nextIndices(_ count: Int, of n: Int, cursor: inout DataCursor) -> [Int] {
        var indices: [Int] = []
        indices.reserveCapacity(count)
        while indices.count < count {
            // The permutation of an epoch is a function of the cursor's stream and the epoch.
            let order = permutation(count: n, stream: cursor.stream, epoch: cursor.epoch)
            let take = min(count - indices.count, n - cursor.position)
            indices += order[cursor.position..<(cursor.position + take)]
            cursor.position += take
            if cursor.position == n { cursor.epoch += 1; cursor.position = 0 }
        }
        return indices
    }

    /// The permutation of `0..<count` for `epoch` of the consumer whose stream is `stream`: a pure
    /// function of the two, so a resumed cursor finds the same order.
    func permutation(count: Int, stream: RandomStream, epoch: Int) -> [Int] {
        let key = Key(stream: stream.key, epoch: epoch, count: count)
        lock.lock()
        defer { lock.unlock() }
        if let p = entries[key] { return p }
        var epochStream = stream.derived(epoch)
        let p = epochStream.permutation(count)
        if entries.count > 64 { entries.removeAll() }
        entries[key] = p
        return p
    }
}
