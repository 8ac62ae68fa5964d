import Foundation
import GANKitNN
import GANKitTensor
@testable import GANKitTraining
import Testing

/// One pair trained over the ranks of a job with every batch split between them, here as threads
/// of one process (`ThreadCommunicator`): the same group and messages as over MPI.
struct DataParallelTests {
    static func configuration(_ objective: ObjectiveKind, weighting: GeneratorWeighting = .uniform, batchSize: Int = 16) -> TrainingConfiguration {
        var c = SGANTopologyTests.configuration(.single, objective: objective, weighting: weighting)
        c.batchSize = batchSize
        return c
    }

    /// Every rank's trainer after `iterations` on `ranks` ranks (rank 0's first), the others
    /// serving rank 0; `between` runs on rank 0 half-way.
    static func trainOnRanks(_ configuration: TrainingConfiguration, ranks: Int, iterations: Int,
                             between: ((Trainer) throws -> Void)? = nil) throws -> (trainers: [Trainer], reports: [IterationReport]) {
        let groups = ThreadCommunicator.job(size: ranks).map { DataParallelGroup(communicator: $0) }
        let trainers = try groups.map { try Trainer(configuration: configuration, data: SGANTopologyTests.ring, dataParallel: $0) }
        let workers = DispatchGroup()
        for r in 1..<ranks {
            let (trainer, group) = (trainers[r], groups[r])
            workers.enter()
            Thread.detachNewThread {
                group.serve(trainer)
                workers.leave()
            }
        }
        var reports: [IterationReport] = []
        for i in 0..<iterations {
            reports.append(trainers[0].step())
            if i == iterations / 2 { try between?(trainers[0]) }
        }
        groups[0].finish()
        workers.wait()
        return (trainers, reports)
    }

    /// The largest ‖a − b‖ / ‖b‖ over the players, with each player's parameters as one vector
    /// (`perTensor`: over every parameter tensor on its own, which is stricter).
    static func relativeDifference(_ a: Trainer, _ b: Trainer, perTensor: Bool = false) -> Float {
        var worst: Float = 0
        for (x, y) in zip([a.pairs[0].generator, a.pairs[0].discriminator], [b.pairs[0].generator, b.pairs[0].discriminator]) {
            var difference: Float = 0, norm: Float = 0
            for ((name, p), (_, q)) in zip(x.network.namedParameters, y.network.namedParameters) {
                let (u, v) = (p.value.scalars, q.value.scalars)
                let d = zip(u, v).reduce(Float(0)) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }, n = v.reduce(Float(0)) { $0 + $1 * $1 }
                #expect(n > 0, "\(name)")
                if perTensor { worst = max(worst, (d / n).squareRoot()) }
                difference += d
                norm += n
            }
            worst = max(worst, (difference / norm).squareRoot())
        }
        return worst
    }

    /// Players, optimizer states and streams bit for bit (and the iteration count, except for
    /// ranks other than 0, which count the iterations they served).
    static func statesIdentical(_ a: Trainer, _ b: Trainer, countingIterations: Bool = true) -> Bool {
        let x = a.checkpoint(), y = b.checkpoint()
        return x.tensors.keys.sorted() == y.tensors.keys.sorted() && x.tensors.allSatisfy { $0.value.isBitwiseIdentical(to: y.tensors[$0.key]!) }
            && x.record.pairStreams == y.record.pairStreams && x.record.optimizerSteps == y.record.optimizerSteps
            && (!countingIterations || x.record == y.record)
    }

    @Test func rowsAreContiguousBlocksInRankOrderDifferingByAtMostOne() {
        #expect(DataParallelGroup.rows(of: 50, ranks: 3) == [0..<17, 17..<34, 34..<50])
        #expect(DataParallelGroup.rows(of: 16, ranks: 2) == [0..<8, 8..<16])
        #expect(DataParallelGroup.rows(of: 5, ranks: 5) == [0..<1, 1..<2, 2..<3, 3..<4, 4..<5])
        #expect(DataParallelGroup.rows(of: 7, ranks: 1) == [0..<7])
    }

    /// On one rank, data-parallel training is single-process training, bit for bit.
    @Test(arguments: [ObjectiveKind.nonSaturating, .wganGP, .dragan])
    func oneRankIsTheSingleProcessRunBitForBit(_ objective: ObjectiveKind) throws {
        let configuration = Self.configuration(objective)
        let alone = try Trainer(configuration: configuration, data: SGANTopologyTests.ring)
        let reports = (0..<5).map { _ in alone.step().players }
        let (trainers, ranked) = try Self.trainOnRanks(configuration, ranks: 1, iterations: 5)
        #expect(Self.statesIdentical(trainers[0], alone))
        #expect(ranked.map(\.players) == reports)
    }

    /// The acceptance test of data-parallel training: after one iteration over 2 and 3 ranks (16
    /// rows: 8 + 8, and 6 + 5 + 5), each player's parameters are the single-process ones to 1e-5
    /// relative, for every way the batch enters the loss (means, gradient penalties drawn over the
    /// whole batch, DRAGAN's spread of the whole batch, WeGAN's and IWGAN's weights normalised over
    /// it). Every rank holds the same players, bit for bit, and reports the whole batch's losses.
    ///
    /// Adam divides each gradient element by its own magnitude, so an element whose gradient is
    /// zero up to rounding moves by up to ±lr on rounding alone, in one process as over ranks: a
    /// WGAN critic's output bias (d/db of mean D(fake) − mean D(real) is exactly 0) and the biases
    /// of hidden units whose LeakyReLU is on the same side for every sample. Measured with
    /// WGAN-GP, width 32, 5 critic steps: D's output bias 6.2e-4 apart after one iteration, every
    /// other element within 1e-7 except 10 such hidden biases. Hence the criterion here on each
    /// player's whole parameter vector at width 16 and 2 critic steps, and per tensor with SGD below.
    @Test(arguments: [(ObjectiveKind.nonSaturating, GeneratorWeighting.uniform), (.wganGP, .uniform), (.dragan, .uniform),
                      (.nonSaturating, .wegan(WeGANWeighting(beta: 0.5))), (.nonSaturating, .iwgan), (.leastSquares, .uniform)])
    func oneIterationMatchesTheSingleProcessRunToOneInOneHundredThousand(_ objective: ObjectiveKind, _ weighting: GeneratorWeighting) throws {
        try Self.expectOneIterationMatches(Self.configuration(objective, weighting: weighting), perTensor: false)
    }

    /// With plain gradient steps, every parameter tensor matches on its own: the summed rows'
    /// gradients are the whole batch's.
    @Test(arguments: [ObjectiveKind.nonSaturating, .wganGP, .dragan])
    func withGradientDescentEveryTensorMatches(_ objective: ObjectiveKind) throws {
        var configuration = Self.configuration(objective, weighting: objective == .nonSaturating ? .wegan(WeGANWeighting(beta: 0.5)) : .uniform)
        configuration.generatorOptimizer = .sgd(learningRate: 0.05)
        configuration.discriminatorOptimizer = .sgd(learningRate: 0.05)
        try Self.expectOneIterationMatches(configuration, perTensor: true)
    }

    static func expectOneIterationMatches(_ configuration: TrainingConfiguration, perTensor: Bool) throws {
        let alone = try Trainer(configuration: configuration, data: SGANTopologyTests.ring)
        let report = alone.step()
        for ranks in [2, 3] {
            let (trainers, ranked) = try Self.trainOnRanks(configuration, ranks: ranks, iterations: 1)
            let difference = Self.relativeDifference(trainers[0], alone, perTensor: perTensor)
            #expect(difference < 1e-5, "\(ranks) ranks: relative difference \(difference)")
            for other in trainers.dropFirst() {
                #expect(Self.statesIdentical(other, trainers[0], countingIterations: false), "every rank holds rank 0's players")
            }
            for (mine, theirs) in zip(ranked[0].players, report.players) {
                #expect(abs(mine.loss - theirs.loss) <= 1e-5 * max(1, abs(theirs.loss)), "\(mine.player) loss \(mine.loss) against \(theirs.loss)")
                if let p = theirs.penalty { #expect(abs(mine.penalty! - p) <= 1e-5 * max(1, abs(p)), "penalty \(mine.penalty!) against \(p)") }
                if let v = theirs.weightVariance { #expect(abs(mine.weightVariance! - v) <= 1e-5 * max(1, v), "weight variance") }
                if let n = theirs.gradientNorm { #expect(abs(mine.gradientNorm! - n) <= 1e-4 * max(1, n), "\(mine.player) gradient norm") }
            }
        }
    }

    /// Sums are added in rank order, never in arrival order: two runs on the same number of ranks
    /// are bit-identical, over many iterations.
    @Test func twoRunsOnTheSameRanksAreBitIdentical() throws {
        let configuration = Self.configuration(.wganGP, batchSize: 15)
        let (first, a) = try Self.trainOnRanks(configuration, ranks: 3, iterations: 12)
        let (second, b) = try Self.trainOnRanks(configuration, ranks: 3, iterations: 12)
        #expect(Self.statesIdentical(first[0], second[0]))
        #expect(a.map(\.players) == b.map(\.players))
    }

    /// Rank 0's restore (a resume) reaches the other ranks before the next iteration: a run
    /// restored half-way on 2 ranks continues exactly as one that never stopped.
    @Test func aRestoreOnRankZeroReachesEveryRank() throws {
        let configuration = Self.configuration(.nonSaturating)
        let alone = try Trainer(configuration: configuration, data: SGANTopologyTests.ring)
        alone.train(iterations: 4)
        let midway = alone.checkpoint()
        // Trained 4 iterations on 2 ranks, then rank 0 goes back to the single-process state at 4.
        let (resumed, _) = try Self.trainOnRanks(configuration, ranks: 2, iterations: 8, between: { trainer in
            try trainer.restore(midway)
        })
        // 4 iterations after the restore: compare with a 2-rank run resumed from the same state.
        let communicators = ThreadCommunicator.job(size: 2).map { DataParallelGroup(communicator: $0) }
        let fresh = try communicators.map { try Trainer(configuration: configuration, data: SGANTopologyTests.ring, dataParallel: $0) }
        try fresh[0].restore(midway)
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            communicators[1].serve(fresh[1])
            done.signal()
        }
        fresh[0].train(iterations: 3)
        communicators[0].finish()
        done.wait()
        #expect(Self.statesIdentical(resumed[0], fresh[0]))
        #expect(Self.statesIdentical(resumed[1], fresh[1], countingIterations: false), "rank 1 took rank 0's restored pair")
    }

    @Test func refusesTopologiesOfManyPairsAndBatchesSmallerThanTheJob() throws {
        let group = DataParallelGroup(communicator: ThreadCommunicator.job(size: 3)[0])
        let sgan = SGANTopologyTests.configuration(.sgan(SGANOptions(pairs: 3)))
        #expect(throws: ConfigurationError.self) { try Trainer(configuration: sgan, data: SGANTopologyTests.ring, dataParallel: group) }
        #expect(throws: ConfigurationError.self) {
            try Trainer(configuration: Self.configuration(.wganGP, batchSize: 2), data: SGANTopologyTests.ring, dataParallel: group)
        }
    }
}
