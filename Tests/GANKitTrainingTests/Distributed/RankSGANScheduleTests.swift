import Foundation
import GANKitNN
import GANKitTensor
@testable import GANKitTraining
import Testing

/// SGAN over the ranks of a job, here as threads of one process (`ThreadCommunicator`): the same
/// schedule and messages as over MPI. Every player must be bit-identical to the in-process run,
/// whatever the number of ranks.
struct RankSGANScheduleTests {
    /// Rank 0's trainer after `iterations` on `ranks` ranks, with the other ranks serving it.
    static func trainOnRanks(_ configuration: TrainingConfiguration, ranks: Int, iterations: Int, data: any RealDataSource = SGANTopologyTests.ring,
                             between: ((Trainer) throws -> Void)? = nil) throws -> (trainer: Trainer, reports: [IterationReport]) {
        guard case .sgan(let options) = configuration.topology else { preconditionFailure() }
        let communicators = ThreadCommunicator.job(size: ranks)
        let trainers = try communicators.map { c in
            try Trainer(configuration: configuration, data: data, sganSchedule: RankSGANSchedule(communicator: c, pairs: options.pairs))
        }
        let workers = DispatchGroup()
        for r in 1..<ranks {
            let trainer = trainers[r]
            workers.enter()
            Thread.detachNewThread {
                (trainer.sgan!.schedule as! RankSGANSchedule).serve(trainer)
                workers.leave()
            }
        }
        var reports: [IterationReport] = []
        for i in 0..<iterations {
            reports.append(trainers[0].step())
            if i == iterations / 2 { try between?(trainers[0]) }
        }
        trainers[0].synchronize()
        (trainers[0].sgan!.schedule as! RankSGANSchedule).finish()
        workers.wait()
        return (trainers[0], reports)
    }

    static func expectIdentical(_ a: Trainer, _ b: Trainer) {
        let x = a.checkpoint(), y = b.checkpoint()
        #expect(x.tensors.keys.sorted() == y.tensors.keys.sorted())
        for (name, t) in x.tensors { #expect(t.isBitwiseIdentical(to: y.tensors[name]!), "\(name)") }
        #expect(x.record == y.record)
    }

    @Test(arguments: [(ObjectiveKind.nonSaturating, true), (.wganGP, true), (.nonSaturating, false)])
    func everyPlayerMatchesTheInProcessRunOnOneTwoAndThreeRanks(_ objective: ObjectiveKind, _ messengers: Bool) throws {
        let configuration = SGANTopologyTests.configuration(.sgan(SGANOptions(pairs: 3, messengers: messengers)), objective: objective)
        let alone = try Trainer(configuration: configuration, data: SGANTopologyTests.ring)
        let reports = (0..<6).map { _ in alone.step().players }
        for ranks in 1...3 {
            let (trainer, ranked) = try Self.trainOnRanks(configuration, ranks: ranks, iterations: 6)
            Self.expectIdentical(trainer, alone)
            #expect(ranked.map(\.players) == reports, "the statistics of every player, ranks \(ranks)")
        }
    }

    /// Messengers that switch their step count mid-run do so on every rank at the same iteration.
    @Test func aMessengerStepSwitchMatchesTheInProcessRunOnTwoRanks() throws {
        let configuration = SGANTopologyTests.configuration(.sgan(SGANOptions(pairs: 3, messengerSteps: 2, messengerStepsFrom: 3)))
        let alone = try Trainer(configuration: configuration, data: SGANTopologyTests.ring)
        let reports = (0..<4).map { _ in alone.step().players }
        let (trainer, ranked) = try Self.trainOnRanks(configuration, ranks: 2, iterations: 4)
        Self.expectIdentical(trainer, alone)
        #expect(ranked.map(\.players) == reports)
    }

    /// A checkpoint taken mid-run gathers every player; restoring it into a fresh job (here of
    /// another size) continues the run bit for bit.
    @Test func aCheckpointGathersEveryPlayerAndResumesUnderAnotherRankCount() throws {
        let configuration = SGANTopologyTests.configuration(.sgan(SGANOptions(pairs: 3)), objective: .wganGP)
        let alone = try Trainer(configuration: configuration, data: SGANTopologyTests.ring)
        alone.train(iterations: 3)
        let midway = alone.checkpoint()
        alone.train(iterations: 3)
        var taken: TrainerCheckpoint?
        let (first, _) = try Self.trainOnRanks(configuration, ranks: 3, iterations: 4, between: { taken = $0.checkpoint() })
        #expect(taken.map { Self.sameState($0, midway) } == true, "the checkpoint at iteration 3 holds every rank's players")
        _ = first
        // Resume on 2 ranks from the in-process checkpoint.
        let communicators = ThreadCommunicator.job(size: 2)
        let trainers = try communicators.map { c in
            try Trainer(configuration: configuration, data: SGANTopologyTests.ring, sganSchedule: RankSGANSchedule(communicator: c, pairs: 3))
        }
        let worker = trainers[1]
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            (worker.sgan!.schedule as! RankSGANSchedule).serve(worker)
            done.signal()
        }
        try trainers[0].restore(midway)
        trainers[0].train(iterations: 3)
        Self.expectIdentical(trainers[0], alone)
        (trainers[0].sgan!.schedule as! RankSGANSchedule).finish()
        done.wait()
    }

    static func sameState(_ a: TrainerCheckpoint, _ b: TrainerCheckpoint) -> Bool {
        a.record == b.record && a.tensors.keys.sorted() == b.tensors.keys.sorted()
            && a.tensors.allSatisfy { $0.value.isBitwiseIdentical(to: b.tensors[$0.key]!) }
    }

    @Test func placementBalancesWorkWithTheGlobalPairOnRankZero() {
        #expect(RankPlacement(pairs: 4, ranks: 1).owners == [0, 0, 0, 0])
        #expect(RankPlacement(pairs: 4, ranks: 2).owners == [0, 1, 1, 1])
        #expect(RankPlacement(pairs: 8, ranks: 4).pairs(of: 0).count < RankPlacement(pairs: 8, ranks: 4).pairs(of: 3).count)
        #expect(RankPlacement(pairs: 3, ranks: 3).description == "rank 0: global pair; rank 1: pair 1; rank 2: pairs 2–3")
    }
}
