import Foundation
import GANKitTraining

/// `mpirun -np K gankit experiment run …`: a sweep's runs spread over the ranks of an Open MPI
/// job, each rank running up to `--jobs` of them at a time as `gankit train` processes.
///
/// Rank 0 keeps the queue and is the only writer of `sweep.json`: the other ranks ask it for a
/// run whenever they have a free slot and report each run's outcome. Runs are assigned as slots
/// free up, so long runs (SGAN) and short ones (a single pair) balance by themselves. Every rank
/// writes its runs into the same sweep directory, which must therefore be on a filesystem every
/// rank shares (checked before the first run).
final class SweepRanks {
    let communicator: any Communicator
    var isCoordinator: Bool { communicator.rank == 0 }
    var others: Range<Int> { 1..<communicator.size }

    init(communicator: any Communicator) {
        self.communicator = communicator
    }

    private enum Tag {
        static let start = 401, startReply = 402, want = 403, assign = 404, result = 405, finished = 406
    }

    /// One run's outcome on the rank that ran it.
    struct Outcome: Codable {
        let index: Int
        let status: SweepManifest.Status
        let seconds: Double
        let message: String?
    }

    private static let tokenFile = ".ranks-check"

    // MARK: - Rank 0

    /// Starts the other ranks once the sweep directory is ready: each must see the token rank 0
    /// just wrote there. Any rank that does not is a clear error on every rank, before any run.
    func start(directory: URL) throws(CLIError) {
        let token = UUID().uuidString
        let file = directory.appendingPathComponent(Self.tokenFile)
        do { try Data(token.utf8).write(to: file, options: .atomic) } catch { throw .failure("cannot write to \(directory.path): \(error)") }
        defer { try? FileManager.default.removeItem(at: file) }
        for r in others { communicator.send(Array(("start " + token).utf8), to: r, tag: Tag.start) }
        var problems: [String] = []
        for r in others {
            let reply = String(decoding: communicator.receive(from: r, tag: Tag.startReply), as: UTF8.self)
            if !reply.isEmpty { problems.append(reply) }
        }
        if let first = problems.first {
            throw .badInput(first + (problems.count > 1 ? " (and \(problems.count - 1) other rank(s))" : ""))
        }
    }

    /// Rank 0 refused the sweep before it started: the other ranks end with its message.
    func abort(_ message: String) {
        for r in others { communicator.send(Array(("abort " + message).utf8), to: r, tag: Tag.start) }
        communicator.flush()
    }

    /// The ranks asking for a run now (one entry per free slot).
    func requests() -> [Int] {
        var out: [Int] = []
        for r in others { while communicator.poll(from: r, tag: Tag.want) != nil { out.append(r) } }
        return out
    }

    /// Answers a request: run `index`, or nil when there is nothing left to run.
    func assign(_ index: Int?, to rank: Int) {
        communicator.send(Array(String(index ?? -1).utf8), to: rank, tag: Tag.assign)
    }

    /// Outcomes reported since the last call, with the rank that ran each.
    func outcomes() -> [(rank: Int, outcome: Outcome)] {
        var out: [(Int, Outcome)] = []
        for r in others {
            while let message = communicator.poll(from: r, tag: Tag.result) {
                // Both sides run the same build: a message that does not decode is a bug.
                guard let outcome = try? JSONDecoder().decode(Outcome.self, from: Data(message)) else { preconditionFailure("rank \(r) sent an unreadable outcome") }
                out.append((r, outcome))
            }
        }
        return out
    }

    /// The ranks that ran their last run and stopped since the last call.
    func finishedRanks() -> [Int] { others.filter { communicator.poll(from: $0, tag: Tag.finished) != nil } }

    // MARK: - Other ranks

    /// Waits for rank 0's start and checks this rank sees the sweep directory rank 0 prepared.
    func awaitStart(directory: URL) throws(CLIError) {
        // Rank 0 may take a while to prepare (reading a large sweep).
        let message = String(decoding: communicator.receive(from: 0, tag: Tag.start, patience: .unlimited), as: UTF8.self)
        if message.hasPrefix("abort ") { throw .badInput("rank 0 refused the sweep: \(message.dropFirst(6))") }
        let token = String(message.dropFirst("start ".count))
        let seen = (try? String(contentsOf: directory.appendingPathComponent(Self.tokenFile), encoding: .utf8)) ?? ""
        let problem = seen == token ? "" :
            "rank \(communicator.rank) does not see rank 0's sweep directory \(directory.path): under mpirun the sweep directory must be on a filesystem every rank shares, at the same path"
        communicator.send(Array(problem.utf8), to: 0, tag: Tag.startReply)
        communicator.flush()
        if !problem.isEmpty { throw .badInput(problem) }
    }

    /// Asks rank 0 for a run: its index, or nil when none is left.
    func requestRun() -> Int? {
        communicator.send([], to: 0, tag: Tag.want)
        let index = Int(String(decoding: communicator.receive(from: 0, tag: Tag.assign), as: UTF8.self)) ?? -1
        return index >= 0 ? index : nil
    }

    func report(_ outcome: Outcome) {
        communicator.send([UInt8]((try? JSONEncoder().encode(outcome)) ?? Data()), to: 0, tag: Tag.result)
    }

    /// This rank has run its last run.
    func finish() {
        communicator.send([], to: 0, tag: Tag.finished)
        communicator.flush()
    }
}
