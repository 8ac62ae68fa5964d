import Foundation
import GANKitDistributed
import GANKitTraining

/// `gankit train` as one rank of an Open MPI job (`mpirun -np K gankit train --topology sgan …`
/// or `mpirun -np K gankit train --data-parallel …`).
///
/// Every rank parses the same options and builds the same run from the seed; rank 0 then runs the
/// command as usual (run directory, logs, evaluations, checkpoints), with SGAN's local pairs
/// placed over the ranks by `RankSGANSchedule`, or every batch of one pair split over them by
/// `DataParallelGroup`, while the other ranks serve it until it stops them.
struct DistributedRun {
    let plan: RunPlan
    let communicator: MPICommunicator
    /// What the ranks share.
    let sharing: Sharing

    enum Sharing {
        /// SGAN's local pairs, placed over the ranks.
        case sgan(RankSGANSchedule)
        /// Every batch of one pair.
        case dataParallel(DataParallelGroup)
        /// Nothing: a job of one rank.
        case none
    }

    var isCoordinator: Bool { communicator.rank == 0 }
    var sganSchedule: RankSGANSchedule? { if case .sgan(let s) = sharing { s } else { nil } }
    var dataParallel: DataParallelGroup? { if case .dataParallel(let g) = sharing { g } else { nil } }

    /// Joins the job when launched by mpirun (nil otherwise). A run that cannot be spread over the
    /// job's ranks is refused on every rank alike, naming the option.
    static func join(_ plan: RunPlan) throws(CLIError) -> DistributedRun? {
        guard MPICommunicator.isLaunched else { return nil }
        let communicator: MPICommunicator
        do { communicator = try MPICommunicator() } catch { throw .failure("cannot start MPI: \(error)") }
        let k = communicator.size
        if plan.options.dataParallel == true {
            guard plan.training.batchSize >= k else {
                communicator.finalize()
                throw .badInput("invalid --batch-size: \(plan.training.batchSize) rows cannot be split over \(k) ranks (--data-parallel gives each rank at least one)")
            }
            return DistributedRun(plan: plan, communicator: communicator, sharing: .dataParallel(DataParallelGroup(communicator: communicator)))
        }
        guard case .sgan(let options) = plan.training.topology else {
            if k == 1 { return DistributedRun(plan: plan, communicator: communicator, sharing: .none) }
            communicator.finalize()
            throw .badInput("mpirun -np \(k): training across ranks needs --topology sgan (its local pairs are spread over the ranks) or --data-parallel (one pair, each batch split over the ranks)")
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
        return DistributedRun(plan: plan, communicator: communicator, sharing: .sgan(RankSGANSchedule(communicator: communicator, pairs: options.pairs)))
    }

    /// Every rank must read the same data: the ranks send rank 0 their data's identity (files and
    /// SHA-256), and rank 0 answers with the verdict, so a mismatch is the same clear error on
    /// every rank, before training.
    func agreeOnData(_ identity: DataIdentity) throws(CLIError) {
        let tag = 50, verdictTag = 51
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let mine = (try? encoder.encode(identity)).map { [UInt8]($0) } ?? []
        var problem: String?
        if isCoordinator {
            for r in 1..<communicator.size {
                let theirs = communicator.receive(from: r, tag: tag)
                if problem == nil { problem = Self.difference(identity, theirs, rank: r) }
            }
            for r in 1..<communicator.size { communicator.send(Array((problem ?? "").utf8), to: r, tag: verdictTag) }
            communicator.flush()
        } else {
            communicator.send(mine, to: 0, tag: tag)
            let verdict = String(decoding: communicator.receive(from: 0, tag: verdictTag), as: UTF8.self)
            if !verdict.isEmpty { problem = verdict }
        }
        if let problem {
            communicator.finalize()
            throw .badInput(problem)
        }
    }

    /// Why rank `r`'s data (its identity as JSON) is not rank 0's, or nil. The directory may be
    /// named differently on each machine; the files' contents may not differ.
    static func difference(_ mine: DataIdentity, _ theirs: [UInt8], rank r: Int) -> String? {
        guard var other = try? JSONDecoder().decode(DataIdentity.self, from: Data(theirs)) else { return "rank \(r) sent no data identity" }
        other.directory = mine.directory
        if other == mine { return nil }
        if let a = mine.fingerprint, let b = other.fingerprint, a != b {
            return "rank \(r) reads different data than rank 0 (its files' SHA-256 \(b.prefix(16))…, rank 0's \(a.prefix(16))…); every rank must read the same files"
        }
        return "rank \(r) reads different data than rank 0: " + (mine.mismatch(other) ?? "its data options differ")
    }

    /// Rank 0 of a job of several ranks: when Open MPI stops the job (a rank ended, or mpirun was
    /// interrupted) it sends SIGTERM before SIGKILL. No iteration or checkpoint can finish without
    /// the other ranks, so rank 0 says what is left and ends at once (nil: stop as one process does).
    func stopReport(_ store: CheckpointStore) -> (@Sendable () -> Never)? {
        guard isCoordinator, communicator.size > 1 else { return nil }
        let (rank, size, run) = (communicator.rank, communicator.size, store.directory.deletingLastPathComponent().path)
        return {
            let left = (try? store.manifest()).map { "the last checkpoint, iteration \($0.iteration), is intact: continue with gankit train --resume \(run)" }
                ?? "no checkpoint was written yet"
            FileHandle.standardError.write(Data("gankit: rank \(rank) of \(size): Open MPI is stopping the job (a rank ended, or mpirun was interrupted: see its message); \(left)\n".utf8))
            _exit(143)
        }
    }

    /// Rank 0: stops the other ranks and ends MPI (on every way out of the command).
    func finish() {
        sganSchedule?.finish()
        dataParallel?.finish()
        communicator.finalize()
    }

    /// A rank other than 0: builds the same trainer and carries out rank 0's commands until stopped.
    func serve(_ makeTrainer: () throws(CLIError) -> Trainer) throws(CLIError) {
        defer { communicator.finalize() }
        if case .none = sharing { return }
        let trainer = try makeTrainer()
        sganSchedule?.serve(trainer)
        dataParallel?.serve(trainer)
    }

    /// How the run is spread over the ranks, in words.
    var placementDescription: String? {
        switch sharing {
        case .sgan(let schedule): "SGAN over \(schedule.placement.ranks) MPI ranks: \(schedule.placement.description)"
        case .dataParallel(let group): "one pair over \(group.ranks) MPI ranks, each batch of \(batchSize) split into rows \(rowsDescription(group))"
        case .none: nil
        }
    }

    private var batchSize: Int { plan.training.batchSize }

    private func rowsDescription(_ group: DataParallelGroup) -> String {
        DataParallelGroup.rows(of: batchSize, ranks: group.ranks).enumerated().map { "\($1.lowerBound)..<\($1.upperBound) (rank \($0))" }.joined(separator: ", ")
    }

    /// `placement.json` of the run directory: which rank trained which pairs, or which rows of each batch.
    func placementRecord() -> Data? {
        struct Record: Encodable {
            let ranks: Int
            var owners: [Int]?
            var rows: [[Int]]?
            let description: String
        }
        let record: Record
        switch sharing {
        case .sgan(let schedule):
            let p = schedule.placement
            record = Record(ranks: p.ranks, owners: p.owners.map { $0 }, description: p.description)
        case .dataParallel(let group):
            let rows = DataParallelGroup.rows(of: batchSize, ranks: group.ranks).map { [$0.lowerBound, $0.upperBound] }
            record = Record(ranks: group.ranks, rows: rows, description: placementDescription!)
        case .none:
            return nil
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try? encoder.encode(record)
    }
}
