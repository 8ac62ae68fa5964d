import GANKitTensor

/// Draws shuffled mini-batches of indices, epoch by epoch, from a seeded stream.
///
/// Each epoch visits every item once in a fresh random order (a permutation of the indices, not a
/// shuffled copy of the data set; `nextBatch(from:)` gathers just the rows of one batch). The
/// whole position — epoch, place in the epoch, and the stream as it was when the epoch's order was
/// drawn — is `Codable`, so a checkpointed run resumes with exactly the batches it would have seen.
public struct BatchSampler: Codable, Equatable, Sendable {
    /// The number of items in the data set.
    public let count: Int
    public let batchSize: Int
    /// Whether an epoch's final, incomplete batch is skipped (the default: GAN losses and batch
    /// normalisation assume equal batch sizes).
    public let dropLast: Bool
    /// The current epoch, from 0.
    public private(set) var epoch: Int
    /// How many indices of the current epoch's order have been handed out.
    public private(set) var position: Int
    /// The stream just before the current epoch's order was drawn.
    private var epochStream: RandomStream
    /// The stream after drawing it (derived state: not encoded).
    private var stream: RandomStream
    /// The current epoch's order (derived state: not encoded).
    private var order: [Int]

    /// A sampler over `count` items; its order depends only on `stream`.
    public init(count: Int, batchSize: Int, dropLast: Bool = true, stream: RandomStream) throws {
        guard count >= 1 else { throw DataError.invalidOption(name: "count", value: "\(count)", allowed: "≥ 1") }
        guard batchSize >= 1, !dropLast || batchSize <= count else {
            throw DataError.invalidOption(name: "batchSize", value: "\(batchSize)", allowed: dropLast ? "1...\(count) (the data set size)" : "≥ 1")
        }
        self.count = count
        self.batchSize = batchSize
        self.dropLast = dropLast
        self.epoch = 0
        self.position = 0
        self.epochStream = stream
        var s = stream
        self.order = s.permutation(count)
        self.stream = s
    }

    /// Complete batches per epoch (plus one short batch when `dropLast` is false and the size
    /// does not divide the count).
    public var batchesPerEpoch: Int { dropLast ? count / batchSize : (count + batchSize - 1) / batchSize }

    /// The indices of the next batch; starts a new epoch when the current one is used up.
    public mutating func nextIndices() -> [Int] {
        let remaining = count - position
        if remaining == 0 || (dropLast && remaining < batchSize) { startNextEpoch() }
        let take = min(batchSize, count - position)
        let batch = Array(order[position..<(position + take)])
        position += take
        return batch
    }

    /// The rows of `data` (first dimension = `count`) of the next batch.
    public mutating func nextBatch(from data: Tensor) throws -> Tensor {
        guard data.rank >= 1, data.shape[0] == count else {
            throw DataError.invalidOption(name: "data", value: "shape \(data.shape)", allowed: "first dimension \(count)")
        }
        return data.gatherRows(nextIndices())
    }

    private mutating func startNextEpoch() {
        epoch += 1
        position = 0
        epochStream = stream
        order = stream.permutation(count)
    }

    private enum CodingKeys: String, CodingKey { case count, batchSize, dropLast, epoch, position, epochStream }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let count = try c.decode(Int.self, forKey: .count)
        let epochStream = try c.decode(RandomStream.self, forKey: .epochStream)
        do {
            self = try BatchSampler(count: count, batchSize: try c.decode(Int.self, forKey: .batchSize),
                                    dropLast: try c.decode(Bool.self, forKey: .dropLast), stream: epochStream)
        } catch let error as DataError {
            throw DecodingError.dataCorruptedError(forKey: .batchSize, in: c, debugDescription: error.description)
        }
        let position = try c.decode(Int.self, forKey: .position)
        guard (0...count).contains(position) else {
            throw DecodingError.dataCorruptedError(forKey: .position, in: c, debugDescription: "position \(position) outside 0...\(count)")
        }
        epoch = try c.decode(Int.self, forKey: .epoch)
        self.position = position
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(count, forKey: .count)
        try c.encode(batchSize, forKey: .batchSize)
        try c.encode(dropLast, forKey: .dropLast)
        try c.encode(epoch, forKey: .epoch)
        try c.encode(position, forKey: .position)
        try c.encode(epochStream, forKey: .epochStream)
    }
}
