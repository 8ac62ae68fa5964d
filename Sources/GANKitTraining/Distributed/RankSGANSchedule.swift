import Foundation
import GANKitNN
import GANKitTensor

/// SGAN's blocks over the ranks of a job (`../shared/spec/sgan.md`, Algorithm 1). Rank r trains
/// the local pairs `placement` gives it and their messengers; rank 0 also holds the global pair.
/// Every rank builds the whole run from the seed, so each starts with the same players and streams.
///
/// Per iteration only what Algorithm 1 needs crosses: rank 0 sends each rank G0's samples for its
/// messengers; each rank sends back its messengers' parameters and buffers, its G_n's samples for
/// D0, and its statistics. G0 and D0 then learn in the same passes, over the same batches in the
/// same order and on the same single BLAS thread as in one process, so the whole run (global pair
/// included) is bit-identical to `ThreadedSGANSchedule` whatever the number of ranks.
///
/// Rank 0 drives the others with commands: an iteration, a gather (before a checkpoint or an
/// evaluation, every player is brought to rank 0) or a distribution of rank 0's players (after a
/// resume), and stop. Ranks other than 0 run `serve`.
public final class RankSGANSchedule: SGANSchedule, @unchecked Sendable {
    public let communicator: any Communicator
    public let placement: RankPlacement
    /// Rank 0: the other ranks hold rank 0's players (false until the first iteration or after
    /// this process changed players).
    private var othersAreCurrent = false
    /// Rank 0: every player is here and current (gathered since the last iteration).
    private var gathered = false
    /// Rank 0, simplified SGAN: the received D_n of other ranks' pairs, allocated once.
    private var receivedCritics: [Int: Module] = [:]
    private var rank: Int { communicator.rank }

    public init(communicator: any Communicator, pairs: Int) {
        self.communicator = communicator
        placement = RankPlacement(pairs: pairs, ranks: communicator.size)
    }

    private enum Command: UInt8 { case iterate = 1, gather, distribute, stop }

    private enum Tag {
        static let command = 1, state = 2, statistics = 3
        static func globalSamples(_ k: Int) -> Int { 1_000 + k }
        static func critic(_ k: Int) -> Int { 100_000 + k }
        static func localSamples(_ k: Int) -> Int { 200_000 + k }
    }

    private var others: Range<Int> { 1..<communicator.size }

    private func command(_ c: Command) {
        for r in others { communicator.send([c.rawValue], to: r, tag: Tag.command) }
    }

    // MARK: - Rank 0

    public func iterate(_ sgan: SGAN, threads: Int) -> [PlayerStatistics] {
        guard rank == 0 else { return otherRankIteration(sgan, threads: threads) }
        if !othersAreCurrent { distribute(sgan) }
        gathered = false
        command(.iterate)
        return BLAS.withThreads(1) {
            let n = sgan.locals.count, all = Array(0..<n)
            let mine = placement.pairs(of: 0)
            if sgan.options.messengers {
                let samples = sgan.globalGeneratorSamples(for: all)
                for k in all where placement.owners[k] != 0 {
                    var w = MessageWriter()
                    for batch in samples[k] { w.append(batch) }
                    communicator.send(w.bytes, to: placement.owners[k], tag: Tag.globalSamples(k))
                }
                return globalIteration(sgan, mine: mine, samples: samples, threads: threads)
            }
            return globalIteration(sgan, mine: mine, samples: nil, threads: threads)
        }
    }

    /// Rank 0's iteration after G0's samples went out: its own pairs, then the global pair.
    private func globalIteration(_ sgan: SGAN, mine: [Int], samples: [[Tensor]]?, threads: Int) -> [PlayerStatistics] {
        let n = sgan.locals.count, all = Array(0..<n)
        let local = ResultSlots<PairStatistics>(count: n)
        let critics = ResultSlots<(critic: Module, statistics: PlayerStatistics?)>(count: n)
        let fakes = ResultSlots<Tensor>(count: n)
        runPairs(sgan, mine, threads: threads, samples: { samples?[$0] ?? [] }, local: local, critics: critics, fakes: fakes)
        for r in others {
            for k in placement.pairs(of: r) {
                var critic = MessageReader(communicator.receive(from: r, tag: Tag.critic(k)))
                let module = criticModule(sgan, k)
                do { try module.load(stateDictionary: critic.tensors()) } catch { preconditionFailure("rank \(r)'s critic \(k + 1): \(error)") }
                var fake = MessageReader(communicator.receive(from: r, tag: Tag.localSamples(k)))
                fakes[k] = fake.tensor()
                critics[k] = (module, nil)
            }
            var statistics = MessageReader(communicator.receive(from: r, tag: Tag.statistics))
            let pairs: [PairStatistics] = statistics.json(), messengers: [PlayerStatistics?] = statistics.json()
            for (i, k) in placement.pairs(of: r).enumerated() {
                local[k] = pairs[i]
                critics[k] = (critics[k]!.critic, messengers[i])
            }
        }
        var g0 = GlobalGeneratorStatistics(), d0 = GlobalDiscriminatorStatistics()
        let graph = TaskGraph()
        graph.add { g0 = sgan.updateGlobalGenerator(against: all.map { critics[$0]!.critic }, of: all) }
        graph.add { d0 = sgan.updateGlobalDiscriminator(from: all.map { (sgan.globalDiscriminatorRealBatch($0), fakes[$0]!) }, of: all) }
        graph.run(threads: threads)
        communicator.flush()
        return sgan.statistics(local: local.all, messengers: all.map { critics[$0]!.statistics }, globalGenerator: g0, globalDiscriminator: d0)
    }

    /// Where rank 0 receives pair k's critic: messenger k's player, or (simplified SGAN) a copy of D_k.
    private func criticModule(_ sgan: SGAN, _ k: Int) -> Module {
        if sgan.options.messengers { return sgan.messengers[k].network }
        if let m = receivedCritics[k] { return m }
        let m = sgan.locals[k].discriminator.network.copy()
        receivedCritics[k] = m
        return m
    }

    /// A rank's own pairs: each local pair's iteration, then its messenger and its samples for D0.
    private func runPairs(_ sgan: SGAN, _ mine: [Int], threads: Int, samples: @escaping (Int) -> [Tensor], local: ResultSlots<PairStatistics>,
                          critics: ResultSlots<(critic: Module, statistics: PlayerStatistics?)>, fakes: ResultSlots<Tensor>) {
        let graph = TaskGraph()
        for k in mine {
            let trained = graph.add { local[k] = sgan.trainLocalPair(k) }
            addMessengerTasks(graph, sgan, k, after: [trained], samples: samples, critics: critics, fakes: fakes)
        }
        graph.run(threads: threads)
    }

    private func addMessengerTasks(_ graph: TaskGraph, _ sgan: SGAN, _ k: Int, after: [Int], samples: @escaping (Int) -> [Tensor],
                                   critics: ResultSlots<(critic: Module, statistics: PlayerStatistics?)>, fakes: ResultSlots<Tensor>) {
        graph.add(after: after) { critics[k] = sgan.trainMessenger(k, against: samples(k)) }
        graph.add(after: after) { fakes[k] = sgan.localGeneratorSamples(k) }
    }

    /// Brings every player to rank 0, once per iteration: before a checkpoint, an evaluation or samples.
    public func synchronize(_ sgan: SGAN) {
        guard rank == 0, othersAreCurrent, !gathered, communicator.size > 1 else { return }
        command(.gather)
        for r in others {
            var reader = MessageReader(communicator.receive(from: r, tag: Tag.state))
            for k in placement.pairs(of: r) { sgan.loadPairState(k, from: &reader, workerOwnedStreamsOnly: true) }
        }
        gathered = true
    }

    public func playersChanged(_ sgan: SGAN) {
        othersAreCurrent = false
    }

    /// Sends every rank the state of its pairs (rank 0's players are the run's).
    private func distribute(_ sgan: SGAN) {
        command(.distribute)
        for r in others {
            var w = MessageWriter()
            for k in placement.pairs(of: r) { sgan.appendPairState(k, to: &w) }
            communicator.send(w.bytes, to: r, tag: Tag.state)
        }
        communicator.flush()
        othersAreCurrent = true
    }

    /// Rank 0: ends the other ranks' `serve`.
    public func finish() {
        guard rank == 0 else { return }
        command(.stop)
        communicator.flush()
    }

    // MARK: - Other ranks

    /// A rank other than 0: its local pairs' iterations (done ahead when `ahead` holds them),
    /// then its messengers against G0's samples, and its results to rank 0.
    private func otherRankIteration(_ sgan: SGAN, threads: Int) -> [PlayerStatistics] {
        BLAS.withThreads(1) {
            let n = sgan.locals.count, mine = placement.pairs(of: rank)
            let local = ahead?.results ?? trainLocalPairs(sgan, mine, threads: threads)
            ahead = nil
            var samples: [Int: [Tensor]] = [:]
            if sgan.options.messengers {
                for k in mine {
                    var reader = MessageReader(communicator.receive(from: 0, tag: Tag.globalSamples(k)))
                    samples[k] = (0..<sgan.messengerSteps).map { _ in reader.tensor() }
                }
            }
            let critics = ResultSlots<(critic: Module, statistics: PlayerStatistics?)>(count: n)
            let fakes = ResultSlots<Tensor>(count: n)
            let graph = TaskGraph()
            for k in mine { addMessengerTasks(graph, sgan, k, after: [], samples: { samples[$0] ?? [] }, critics: critics, fakes: fakes) }
            graph.run(threads: threads)
            for k in mine {
                var critic = MessageWriter()
                critic.append(critics[k]!.critic.stateDictionary)
                communicator.send(critic.bytes, to: 0, tag: Tag.critic(k))
                var fake = MessageWriter()
                fake.append(fakes[k]!)
                communicator.send(fake.bytes, to: 0, tag: Tag.localSamples(k))
            }
            var statistics = MessageWriter()
            statistics.append(json: mine.map { local[$0]! })
            statistics.append(json: mine.map { critics[$0]!.statistics })
            communicator.send(statistics.bytes, to: 0, tag: Tag.statistics)
            communicator.flush()
            return []  // rank 0 reports the iteration
        }
    }

    private func trainLocalPairs(_ sgan: SGAN, _ mine: [Int], threads: Int) -> ResultSlots<PairStatistics> {
        let local = ResultSlots<PairStatistics>(count: sgan.locals.count)
        let graph = TaskGraph()
        for k in mine { graph.add { local[k] = sgan.trainLocalPair(k) } }
        graph.run(threads: threads)
        return local
    }

    /// A rank other than 0, between iterations: the next iteration's local pairs, trained while
    /// rank 0 updates the global pair (they depend on nothing rank 0 does), and the state from
    /// before them, which is what a gather must send.
    private var ahead: (results: ResultSlots<PairStatistics>, before: [PairState])?

    /// A rank other than 0: carries out rank 0's commands on `trainer` until told to stop.
    public func serve(_ trainer: Trainer) {
        guard rank != 0, let sgan = trainer.sgan else { return }
        while true {
            // Rank 0 may evaluate or write for a long time between commands.
            let message = communicator.receive(from: 0, tag: Tag.command, patience: .unlimited)
            switch message.first.flatMap(Command.init(rawValue:)) {
            case .iterate:
                trainer.step()
                // Rank 0 now updates the global pair: train the next iteration's local pairs
                // meanwhile, keeping the state from before them for a gather.
                let before = placement.pairs(of: rank).map(sgan.pairState)
                ahead = (BLAS.withThreads(1) { trainLocalPairs(sgan, placement.pairs(of: rank), threads: trainer.configuration.threads) }, before)
            case .gather:
                var w = MessageWriter()
                for state in ahead?.before ?? placement.pairs(of: rank).map(sgan.pairState) { state.append(to: &w) }
                communicator.send(w.bytes, to: 0, tag: Tag.state)
                communicator.flush()
            case .distribute:
                ahead = nil  // rank 0's state replaces what was trained ahead
                var reader = MessageReader(communicator.receive(from: 0, tag: Tag.state))
                for k in placement.pairs(of: rank) { sgan.loadPairState(k, from: &reader, workerOwnedStreamsOnly: false) }
            case .stop:
                return
            case nil:
                preconditionFailure("rank \(rank): an unknown command \(message)")
            }
        }
    }
}

extension SGAN {
    /// Pair k's players, its streams, its messenger's and D0's for it.
    func pairState(_ k: Int) -> PairState {
        var state = locals[k].state
        state.streams += [messengerStreams[k].streams, globalDiscriminatorStreams[k].streams]
        return state
    }

    func appendPairState(_ k: Int, to w: inout MessageWriter) { pairState(k).append(to: &w) }

    /// Restores pair k from `PairState.append`'s message. `workerOwnedStreamsOnly`: take only the
    /// streams the pair's rank advances (its pair's, its messenger's data and penalties, D0's
    /// noise for G_k), keeping the ones rank 0 advances.
    func loadPairState(_ k: Int, from r: inout MessageReader, workerOwnedStreamsOnly: Bool) {
        let streams = locals[k].load(from: &r)
        if workerOwnedStreamsOnly {
            messengerStreams[k].streams.data = streams[1].data
            messengerStreams[k].streams.penalty = streams[1].penalty
            globalDiscriminatorStreams[k].streams.noise = streams[2].noise
        } else {
            messengerStreams[k].streams = streams[1]
            globalDiscriminatorStreams[k].streams = streams[2]
        }
    }
}
