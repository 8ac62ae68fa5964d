import Foundation
import GANKitDistributed
import GANKitTraining

/// `gankit train` as one rank of an Open MPI job (`mpirun -np K gankit train --topology sgan …`).
///
/// Every rank parses the same options and builds the same run from the seed; rank 0 then runs the
/// command as usual (run directory, logs, evaluations, checkpoints), with SGAN's local pairs
/// placed over the ranks by `RankSGANSchedule`, while the other ranks serve it until it stops them.
struct DistributedRun {
    let communicator: MPICommunicator
    /// SGAN's schedule over the ranks (nil for other topologies, which run on rank 0 alone when K = 1).
    let schedule: RankSGANSchedule?

    var isCoordinator: Bool { communicator.rank == 0 }

    /// Joins the job when launched by mpirun (nil otherwise). A run that cannot be spread over the
    /// job's ranks is refused on every rank alike, naming the option.
    static func join(_ plan: RunPlan) throws(CLIError) -> DistributedRun? {
        guard MPICommunicator.isLaunched else { return nil }
        let communicator: MPICommunicator
        do { communicator = try MPICommunicator() } catch { throw .failure("cannot start MPI: \(error)") }
        let k = communicator.size
        guard case .sgan(let options) = plan.training.topology else {
            if k == 1 { return DistributedRun(communicator: communicator, schedule: nil) }
            communicator.finalize()
            throw .badInput("mpirun -np \(k): training across ranks needs --topology sgan (its local pairs are what the ranks share; data-parallel training of one pair is not built yet)")
        }
        var problem: String?
        if k > options.pairs + 1 {
            problem = "mpirun -np \(k): \(k) ranks for \(options.pairs) local pairs; use at most \(options.pairs + 1) (rank 0 holds the global pair)"
        } else if k > 1, options.sharedGeneratorLayers > 0 || options.sharedDiscriminatorLayers > 0 {
            problem = "invalid --shared-\(options.sharedGeneratorLayers > 0 ? "generator" : "discriminator")-layers: weight sharing (N-SW) does not run across ranks yet; run it in one process"
        } else if k > 1, options.globalUpdates == .perLocalUpdate {
            problem = "invalid --global-updates: per-local-update is sequential by definition and does not run across ranks; run it in one process"
        }
        if let problem {
            communicator.finalize()
            throw .badInput(problem)
        }
        return DistributedRun(communicator: communicator, schedule: RankSGANSchedule(communicator: communicator, pairs: options.pairs))
    }

    /// Rank 0: stops the other ranks and ends MPI (on every way out of the command).
    func finish() {
        schedule?.finish()
        communicator.finalize()
    }

    /// A rank other than 0: builds the same trainer and carries out rank 0's commands until stopped.
    func serve(_ makeTrainer: (any SGANSchedule) throws(CLIError) -> Trainer) throws(CLIError) {
        defer { communicator.finalize() }
        guard let schedule else { return }
        let trainer = try makeTrainer(schedule)
        schedule.serve(trainer)
    }

    /// `placement.json` of the run directory: which rank trained which pairs.
    func placementRecord() -> Data? {
        guard let schedule else { return nil }
        struct Record: Encodable { let ranks: Int; let owners: [Int]; let description: String }
        let p = schedule.placement
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try? encoder.encode(Record(ranks: p.ranks, owners: p.owners.map { $0 }, description: p.description))
    }
}
