import Foundation
import GANKitTensor

/// How a topology runs one iteration: the only code that knows which players a run has.
protocol TopologyTraining: AnyObject, Sendable {
    /// One iteration on up to `threads` threads, with the statistics of every player.
    func iterate(threads: Int) -> [PlayerStatistics]
    /// This process changed players outside an iteration (a restore, initial weights): wherever
    /// else they are held must take them before the next iteration.
    func playersChanged()
}

extension TopologyTraining {
    func playersChanged() {}
}

/// One pair updated `updates` times per iteration: standard training (1), or the equal-compute
/// baseline of SGAN's Fig. 3.
final class RepeatedPairTraining: TopologyTraining, @unchecked Sendable {
    let context: TrainingContext
    let pair: GANPair
    let updates: Int

    init(context: TrainingContext, pair: GANPair, updates: Int) {
        self.context = context
        self.pair = pair
        self.updates = updates
    }

    func iterate(threads: Int) -> [PlayerStatistics] {
        var last: PairStatistics!
        for _ in 0..<updates { last = context.trainPair(pair, index: 0, rules: context.rules, sharing: nil) }
        return last.named("")
    }
}

/// N independent pairs and no global pair, each trained on its own (in parallel where threads allow).
final class EnsembleTraining: TopologyTraining, @unchecked Sendable {
    let context: TrainingContext
    let pairs: [GANPair]

    init(context: TrainingContext, pairs: [GANPair]) {
        self.context = context
        self.pairs = pairs
    }

    func iterate(threads: Int) -> [PlayerStatistics] {
        let results = ResultSlots<PairStatistics>(count: pairs.count)
        let graph = TaskGraph()
        for (k, pair) in pairs.enumerated() { graph.add { results[k] = self.context.trainPair(pair, index: k, rules: self.context.rules, sharing: nil) } }
        BLAS.withThreads(1) { graph.run(threads: threads) }
        return pairs.indices.flatMap { results[$0]!.named("\($0 + 1)") }
    }
}

/// One pair over the ranks of a job, every batch split between them (`DataParallelGroup`): each
/// rank runs the pair's usual iteration on its rows, and rank 0 starts the others' iterations.
final class DataParallelTraining: TopologyTraining, @unchecked Sendable {
    let group: DataParallelGroup
    let pair: RepeatedPairTraining

    init(group: DataParallelGroup, pair: RepeatedPairTraining) {
        self.group = group
        self.pair = pair
    }

    func iterate(threads: Int) -> [PlayerStatistics] {
        group.beginIteration(pair.pair)
        return pair.iterate(threads: threads)
    }

    func playersChanged() { group.playersChanged() }
}
