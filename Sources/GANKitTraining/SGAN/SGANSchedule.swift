import GANKitNN
import GANKitTensor

/// Places the blocks of one SGAN iteration. A schedule decides only where and in which order the
/// blocks run; the blocks themselves are `SGAN`'s functions, so every schedule computes the same
/// numbers.
public protocol SGANSchedule: Sendable {
    /// Runs one iteration of `sgan` and returns every player's statistics (`SGAN.statistics`).
    func iterate(_ sgan: SGAN, threads: Int) -> [PlayerStatistics]
    /// Brings every player held elsewhere up to date in this process (before a checkpoint, an
    /// evaluation or samples).
    func synchronize(_ sgan: SGAN)
    /// This process changed players outside an iteration (a restore): wherever else they are
    /// held must take them before the next iteration.
    func playersChanged(_ sgan: SGAN)
}

extension SGANSchedule {
    public func synchronize(_ sgan: SGAN) {}
    public func playersChanged(_ sgan: SGAN) {}
}

/// The blocks on up to `threads` threads of this process, each block on one thread with
/// single-threaded BLAS, so that each product is computed the same way whatever the schedule.
public struct ThreadedSGANSchedule: SGANSchedule {
    public init() {}

    public func iterate(_ sgan: SGAN, threads: Int) -> [PlayerStatistics] {
        let n = sgan.locals.count, all = Array(0..<n)
        let local = ResultSlots<PairStatistics>(count: n)
        let samples = ResultSlots<[[Tensor]]>(count: 1)
        let critics = ResultSlots<(critic: Module, statistics: PlayerStatistics?)>(count: n)
        let fakes = ResultSlots<Tensor>(count: n), reals = ResultSlots<Tensor>(count: n)
        var g0 = GlobalGeneratorStatistics(), d0 = GlobalDiscriminatorStatistics()

        let graph = TaskGraph()
        var localTasks = all.map { k in graph.add { local[k] = sgan.trainLocalPair(k) } }
        if sgan.sharing != nil {
            // Messengers copy D_n and D0 samples G_n only after the shared layers' update.
            let sharedUpdate = graph.add(after: localTasks) { sgan.updateSharedLayers(local.all) }
            localTasks = localTasks.map { _ in sharedUpdate }
        }
        if sgan.options.globalUpdates == .perIteration {
            // G0's samples need only G0, so they are made while the local pairs train; messengers
            // (the longer tasks) come next; G0 learns as soon as every messenger has spoken, while
            // D0's batches fill the other core; D0 learns last.
            let samplesTask = sgan.options.messengers ? [graph.add { samples[0] = sgan.globalGeneratorSamples(for: all) }] : []
            let criticTasks = all.map { k in
                graph.add(after: [localTasks[k]] + samplesTask) { critics[k] = sgan.trainMessenger(k, against: samples[0]?[k] ?? []) }
            }
            graph.add(after: criticTasks) { g0 = sgan.updateGlobalGenerator(against: all.map { critics[$0]!.critic }, of: all) }
            let batchTasks = all.map { k in
                graph.add(after: [localTasks[k]]) {
                    reals[k] = sgan.globalDiscriminatorRealBatch(k)
                    fakes[k] = sgan.localGeneratorSamples(k)
                }
            }
            graph.add(after: batchTasks) { d0 = sgan.updateGlobalDiscriminator(from: all.map { (reals[$0]!, fakes[$0]!) }, of: all) }
        }
        // Players run one per thread; BLAS stays single-threaded meanwhile, so cores are not
        // oversubscribed and each GEMM is computed the same way whatever the schedule.
        BLAS.withThreads(1) { graph.run(threads: threads) }
        if sgan.options.globalUpdates == .perLocalUpdate {
            // The global pair learns from each local pair in turn (appendix, Fig. 11): sequential.
            for k in all {
                let mine = sgan.options.messengers ? sgan.globalGeneratorSamples(for: [k])[0] : []
                critics[k] = sgan.trainMessenger(k, against: mine)
                g0 = g0 + sgan.updateGlobalGenerator(against: [critics[k]!.critic], of: [k])
                let real = sgan.globalDiscriminatorRealBatch(k)
                d0 = d0 + sgan.updateGlobalDiscriminator(from: [(real, sgan.localGeneratorSamples(k))], of: [k])
            }
        }
        return sgan.statistics(local: local.all, messengers: all.map { critics[$0]!.statistics }, globalGenerator: g0, globalDiscriminator: d0)
    }
}
