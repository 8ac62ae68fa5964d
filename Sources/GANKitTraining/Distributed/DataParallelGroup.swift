import Foundation
import GANKitNN
import GANKitTensor

/// The ranks of a job training one pair together, each on a contiguous slice of every batch, as
/// PyTorch's `DistributedDataParallel` does.
///
/// Every rank draws the whole batch from the same streams (noise, data, penalty draws) and
/// computes only its rows; the losses are scaled by the rows' share of the batch, so the sum of
/// the ranks' gradients is the whole batch's gradient. Sums are added on rank 0 in rank order
/// and sent back, never by a reduction whose order the transport chooses: every rank applies
/// the same bytes to the same optimizer state, the players stay identical on every rank, and two
/// runs with the same number of ranks are bit-identical. With one rank this is single-process
/// training exactly.
///
/// BatchNorm is treated as DDP treats it by default (not `SyncBatchNorm`): in training, each
/// rank normalises its rows with its own rows' statistics, and the running statistics that count
/// are rank 0's (DDP broadcasts rank 0's buffers before each forward pass; here rank 0 is the
/// only rank that evaluates or writes). Networks without BatchNorm (the MLPs, the critics of
/// gradient-penalty objectives) therefore compute the single-process iteration up to rounding.
///
/// Rank 0 drives the others with commands — an iteration, a distribution of rank 0's pair (after
/// a resume or initial weights), stop — while they run `serve`.
public final class DataParallelGroup: @unchecked Sendable {
    public let communicator: any Communicator
    /// Rank 0: the other ranks hold rank 0's pair (false until the first iteration or after a restore).
    private var othersAreCurrent = false
    private var rank: Int { communicator.rank }
    public var ranks: Int { communicator.size }
    private var others: Range<Int> { 1..<communicator.size }

    public init(communicator: any Communicator) {
        self.communicator = communicator
    }

    private enum Command: UInt8 { case iterate = 1, distribute, stop }

    private enum Tag {
        static let command = 301, state = 302, toCoordinator = 303, fromCoordinator = 304
    }

    // MARK: - Slices and sums

    /// The rows of a batch of `total` that this rank computes: contiguous blocks in rank order
    /// whose sizes differ by at most one.
    public func rows(of total: Int) -> Range<Int> { Self.rows(of: total, ranks: ranks)[rank] }

    /// Every rank's rows of a batch of `total`, in rank order.
    public static func rows(of total: Int, ranks: Int) -> [Range<Int>] {
        let base = total / ranks, extra = total % ranks
        return (0..<ranks).map { r in
            let start = r * base + Swift.min(r, extra)
            return start..<(start + base + (r < extra ? 1 : 0))
        }
    }

    /// Σ over the ranks of `values`, added on rank 0 in rank order ((v₀ + v₁) + v₂ …) and sent to
    /// every rank: the same bytes everywhere, whichever rank finishes first.
    func sum(_ values: [Float]) -> [Float] {
        combined(values) { total, part, r in
            precondition(part.count == total.count, "rank \(r) sent \(part.count) values to sum, rank 0 has \(total.count)")
            total.withUnsafeMutableBufferPointer { t in
                part.withUnsafeBufferPointer { p in for i in 0..<t.count { t[i] += p[i] } }
            }
        }
    }

    /// Every rank's `values` concatenated in rank order, on every rank.
    func gather(_ values: [Float]) -> [Float] { combined(values) { all, part, _ in all += part } }

    /// Every rank's `values` brought to rank 0 and folded into rank 0's in rank order by
    /// `combine(result, part, rank)`; the result is sent back to every rank.
    private func combined(_ values: [Float], _ combine: (inout [Float], [Float], Int) -> Void) -> [Float] {
        guard ranks > 1 else { return values }
        guard rank == 0 else {
            send(values, to: 0, tag: Tag.toCoordinator)
            return receive(from: 0, tag: Tag.fromCoordinator)
        }
        var result = values
        for r in others { combine(&result, receive(from: r, tag: Tag.toCoordinator), r) }
        for r in others { send(result, to: r, tag: Tag.fromCoordinator) }
        return result
    }

    /// Σ over the ranks of each gradient and of each scalar, in one message (keys in sorted order).
    func sum(_ gradients: [String: Tensor], scalars: [Float]) -> (gradients: [String: Tensor], scalars: [Float]) {
        guard ranks > 1 else { return (gradients, scalars) }
        let keys = gradients.keys.sorted()
        var flat: [Float] = []
        flat.reserveCapacity(keys.reduce(scalars.count) { $0 + gradients[$1]!.count })
        for key in keys { gradients[key]!.withUnsafeBufferPointer { flat.append(contentsOf: $0) } }
        flat += scalars
        let total = sum(flat)
        var out: [String: Tensor] = [:], offset = 0
        for key in keys {
            let shape = gradients[key]!.shape, count = gradients[key]!.count
            out[key] = Tensor(shape: shape, values: Array(total[offset..<(offset + count)]))
            offset += count
        }
        return (out, Array(total[offset...]))
    }

    private func send(_ values: [Float], to r: Int, tag: Int) {
        communicator.send(values.withUnsafeBytes { [UInt8]($0) }, to: r, tag: tag)
    }

    private func receive(from r: Int, tag: Int) -> [Float] {
        let bytes = communicator.receive(from: r, tag: tag)
        precondition(bytes.count % MemoryLayout<Float>.size == 0, "rank \(r) sent \(bytes.count) bytes, not a whole number of floats")
        return [Float](unsafeUninitializedCapacity: bytes.count / MemoryLayout<Float>.size) { buffer, count in
            bytes.withUnsafeBytes { UnsafeMutableRawBufferPointer(buffer).copyMemory(from: $0) }
            count = buffer.count
        }
    }

    // MARK: - Commands

    /// Rank 0, before each iteration: hands the others its pair if they do not hold it, then
    /// starts their iteration. Other ranks: nothing (they are in `serve`).
    func beginIteration(_ pair: GANPair) {
        guard rank == 0, ranks > 1 else { return }
        if !othersAreCurrent {
            command(.distribute)
            var w = MessageWriter()
            pair.state.append(to: &w)
            for r in others { communicator.send(w.bytes, to: r, tag: Tag.state) }
            othersAreCurrent = true
        }
        command(.iterate)
    }

    /// Rank 0 changed its pair outside an iteration (a restore, initial weights).
    func playersChanged() { othersAreCurrent = false }

    /// Rank 0: ends the other ranks' `serve`.
    public func finish() {
        guard rank == 0, ranks > 1 else { return }
        command(.stop)
        communicator.flush()
    }

    private func command(_ c: Command) {
        for r in others { communicator.send([c.rawValue], to: r, tag: Tag.command) }
    }

    /// A rank other than 0: carries out rank 0's commands on `trainer` until told to stop.
    public func serve(_ trainer: Trainer) {
        guard rank != 0 else { return }
        while true {
            // Rank 0 may evaluate or write for a long time between commands.
            let message = communicator.receive(from: 0, tag: Tag.command, patience: .unlimited)
            switch message.first.flatMap(Command.init(rawValue:)) {
            case .iterate:
                trainer.step()
                communicator.flush()
            case .distribute:
                var reader = MessageReader(communicator.receive(from: 0, tag: Tag.state))
                trainer.pairs[0].load(from: &reader)
            case .stop:
                return
            case nil:
                preconditionFailure("rank \(rank): an unknown command \(message)")
            }
        }
    }
}

/// This rank's part of every batch of a data-parallel pair.
struct BatchShard: Sendable {
    let group: DataParallelGroup
    /// The whole batch's rows (the configured batch size).
    let batchSize: Int

    var rows: Range<Int> { group.rows(of: batchSize) }
    /// The rows' share of the batch: each rank's mean loss times this sums to the batch's mean.
    var fraction: Float { Float(rows.count) / Float(batchSize) }

    /// This rank's rows of a whole batch.
    func mine(_ batch: Tensor) -> Tensor { batch.slice(axis: 0, rows) }
}
