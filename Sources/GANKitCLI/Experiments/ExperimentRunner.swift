import Dispatch
import Foundation
import GANKitData
import GANKitTensor

/// Runs a sweep's training runs as `gankit train` processes, `jobs` at a time (on each rank of
/// an Open MPI job when started under mpirun: `SweepRanks`).
///
/// Separate processes keep every run exactly what it would be alone (same options, same thread
/// count, nothing shared), and let a killed sweep pick up where it was: finished runs are skipped,
/// unfinished ones resume from their checkpoints through `gankit train --resume`.
struct ExperimentRunner {
    let plan: ExperimentPlan
    let directory: URL
    let jobs: Int
    let resume: Bool
    let executable: URL
    let command: String
    let console: Console
    /// The ranks of an Open MPI job sharing the sweep (nil: this process alone).
    var ranks: SweepRanks? = nil

    /// The `gankit` executable: this process when it is gankit, else the one beside it (tests
    /// run from the test bundle next to the built tool), else `$GANKIT_EXECUTABLE`.
    static func gankitExecutable() throws(CLIError) -> URL {
        if let path = ProcessInfo.processInfo.environment["GANKIT_EXECUTABLE"], !path.isEmpty { return URL(fileURLWithPath: path) }
        let me = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        if me.lastPathComponent == "gankit" { return me }
        var dir = me.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("gankit")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        throw .failure("cannot find the gankit executable beside \(me.path); set GANKIT_EXECUTABLE")
    }

    func run() throws(CLIError) {
        if let ranks, !ranks.isCoordinator { return try work(for: ranks) }
        let manifest: SweepManifest
        do {
            manifest = try prepare()
            try ranks?.start(directory: directory)
        } catch {
            ranks?.abort(error.description)
            throw error
        }
        try runAll(manifest)
    }

    /// Rank 0 (or the only process): the sweep directory and its manifest, new or resumed.
    private func prepare() throws(CLIError) -> SweepManifest {
        let fm = FileManager.default
        var manifest: SweepManifest
        let sha = SHA256.hex(of: Data(plan.file.text.utf8))
        if resume {
            manifest = try SweepManifest.read(from: directory)
            if manifest.fileSHA256 != sha { try Self.requireSameRunsAndChecks(plan.file, asIn: directory) }
            if manifest.scale != plan.scale {
                throw .badInput("cannot resume \(directory.path): it ran at scale \(manifest.scale ?? "base"), not \(plan.scale ?? "base")")
            }
            guard plan.seeds.starts(with: manifest.seeds) else {
                throw .badInput("cannot resume \(directory.path): it ran seeds \(manifest.seeds); --seeds may add seeds, not remove them")
            }
            // More seeds: the new runs join the sweep, the finished ones are kept.
            let old = Dictionary(manifest.runs.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
            manifest.runs = plan.runs.map { old[$0.relativePath] ?? .init(cell: $0.cell, variant: $0.variant, seed: $0.seed, path: $0.relativePath,
                                                                            status: .pending, seconds: 0, attempts: 0) }
            manifest.seeds = plan.seeds
            manifest.jobs = jobs
            if let cores = manifest.blasCores, !cores.contains(BLAS.coreName) { manifest.blasCores = cores + [BLAS.coreName] }
            let resumedAs = command + " --resume"
            if !(manifest.resumes ?? []).contains(resumedAs) { manifest.resumes = (manifest.resumes ?? []) + [resumedAs] }
        } else {
            if fm.fileExists(atPath: directory.path) {
                throw .badInput("invalid --out: \(directory.path) already exists; choose a new directory, or continue that sweep with --resume")
            }
            manifest = SweepManifest(
                experiment: plan.file.name, file: plan.file.path, fileSHA256: sha, scale: plan.scale, seeds: plan.seeds,
                threadsPerRun: plan.threadsPerRun, jobs: jobs, commit: Self.commit(of: plan.file.path), blasCores: [BLAS.coreName],
                command: command, started: Date(),
                wallSeconds: 0, schedulingSeconds: 0,
                runs: plan.runs.map { .init(cell: $0.cell, variant: $0.variant, seed: $0.seed, path: $0.relativePath, status: .pending, seconds: 0, attempts: 0) })
        }
        do {
            for sub in ["configs", "logs", "runs"] { try fm.createDirectory(at: directory.appendingPathComponent(sub), withIntermediateDirectories: true) }
            // The file as the sweep started keeps its checks: a resume never replaces it.
            if !resume { try Data(plan.file.text.utf8).write(to: directory.appendingPathComponent("experiment.yaml"), options: .atomic) }
            try manifest.write(to: directory)
        } catch { throw .failure("cannot write to \(directory.path): \(error)") }
        return manifest
    }

    /// Rank 0 (or the only process): runs every pending run here or on the other ranks, and
    /// records each outcome.
    private func runAll(_ manifest: SweepManifest) throws(CLIError) {
        let state = SweepState(manifest: manifest, directory: directory)
        let todo = plan.runs.indices.filter { [.pending, .failed].contains(manifest.runs[$0].status) }
        let skipped = plan.runs.count - todo.count
        console.line("experiment \(plan.file.name)\(plan.scale.map { " (scale \($0))" } ?? ""): \(plan.runs.count) runs "
                     + "(\(plan.cells.count) cells × \(plan.seeds.count) seeds), \(jobs) at a time"
                     + (ranks.map { " on each of \($0.communicator.size) MPI ranks" } ?? "") + " on \(plan.threadsPerRun) thread(s) each"
                     + (skipped > 0 ? "; \(skipped) already finished" : ""))
        let interrupt = InterruptFlag()
        interrupt.install()
        defer { interrupt.uninstall() }

        let started = Date()
        let finished = DispatchSemaphore(value: 0)
        var queue = todo[...]
        var running: [Int: (process: Process, started: Date)] = [:]
        var slotFreedAt = Date()
        var signalled: Set<Int> = []
        var completed = skipped
        // Runs on other ranks (by index), and the ranks that have not yet stopped.
        var elsewhere: [Int: Int] = [:]
        var activeRanks = Set(ranks?.others ?? 1..<1)
        let slots = jobs * (ranks?.communicator.size ?? 1)
        func finish(_ index: Int, _ status: SweepManifest.Status, seconds: Double, rank: Int?) {
            completed += 1
            let done = state.snapshot().runs.filter { $0.status == .done || $0.status == .diverged }
            let mean = done.isEmpty ? seconds : done.map(\.seconds).reduce(0, +) / Double(done.count)
            let left = plan.runs.count - completed
            let eta = Double(left) * mean / Double(slots)
            console.line(String(format: "[%d/%d] %@ seed %llu: %@ in %.1f s", completed, plan.runs.count, plan.runs[index].cell,
                                plan.runs[index].seed, status.rawValue, seconds)
                         + (rank.map { " on rank \($0)" } ?? "")
                         + (left > 0 ? String(format: " (%d left, about %@)", left, Self.duration(eta)) : ""))
        }
        while !queue.isEmpty || !running.isEmpty || !elsewhere.isEmpty || !activeRanks.isEmpty {
            while running.count < jobs, let index = queue.first, !interrupt.isRaised {
                queue = queue.dropFirst()
                do {
                    let process = try launch(index, onExit: { finished.signal() })
                    state.addScheduling(Date().timeIntervalSince(slotFreedAt))
                    running[index] = (process, Date())
                } catch let e as CLIError {
                    for (_, r) in running { r.process.interrupt() }
                    throw e
                } catch { throw .failure("\(error)") }
            }
            if let ranks {
                for r in ranks.requests() {
                    if !interrupt.isRaised, let index = queue.first {
                        queue = queue.dropFirst()
                        elsewhere[index] = r
                        ranks.assign(index, to: r)
                    } else {
                        ranks.assign(nil, to: r)
                    }
                }
                for (r, outcome) in ranks.outcomes() {
                    elsewhere[outcome.index] = nil
                    state.update(outcome.index) {
                        $0.status = outcome.status
                        $0.seconds += outcome.seconds
                        $0.attempts += 1
                        $0.message = outcome.message
                    }
                    try? state.save()
                    finish(outcome.index, outcome.status, seconds: outcome.seconds, rank: r)
                }
                activeRanks.subtract(ranks.finishedRanks())
            }
            _ = finished.wait(timeout: .now() + (ranks == nil ? 0.25 : 0.05))
            if interrupt.isRaised {
                // Once per run: a second SIGINT makes `gankit train` exit without its checkpoint.
                queue = queue.prefix(0)
                for (index, r) in running where r.process.isRunning && !signalled.contains(index) {
                    r.process.interrupt()
                    signalled.insert(index)
                }
            }
            for (index, r) in running where !r.process.isRunning {
                running[index] = nil
                slotFreedAt = Date()
                let seconds = Date().timeIntervalSince(r.started)
                finish(index, record(index, process: r.process, seconds: seconds, state: state), seconds: seconds, rank: nil)
            }
        }
        state.addWall(Date().timeIntervalSince(started))
        try state.save()
        if interrupt.isRaised {
            throw .interrupted("interrupted; finished runs are kept. Continue with: gankit experiment run \(plan.file.path) --resume --out \(directory.path)"
                               + (plan.scale.map { " --scale \($0)" } ?? "") + " --seeds \(plan.seeds.count)"
                               + (plan.seeds.first.map { $0 > 0 ? " --first-seed \($0)" : "" } ?? ""))
        }
        let final = state.snapshot()
        let failed = final.runs.filter { $0.status == .failed }
        let diverged = final.runs.filter { $0.status == .diverged }.count
        console.line("sweep finished: \(final.runs.count - failed.count - diverged) done, \(diverged) diverged, \(failed.count) failed; "
                     + "report with: gankit experiment report \(directory.path)")
        if let first = failed.first {
            throw .failure("\(failed.count) run(s) failed, e.g. \(first.cell) seed \(first.seed): \(first.message ?? "see logs/"); rerun with --resume")
        }
    }

    /// A sweep resumes with an edited file only when its runs and its checks are the same: the
    /// tables, figures and prose may change, what was run and what decides the verdict may not.
    static func requireSameRunsAndChecks(_ file: ExperimentFile, asIn directory: URL) throws(CLIError) {
        let stored = directory.appendingPathComponent("experiment.yaml")
        guard let data = FileManager.default.contents(atPath: stored.path), let text = String(data: data, encoding: .utf8),
              let ran = try? ExperimentFile.parse(text, path: stored.path, name: file.name) else {
            throw .badInput("cannot resume \(directory.path): its experiment.yaml is missing or damaged")
        }
        let differences = file.runDifferences(from: ran)
        if !differences.isEmpty {
            throw .badInput("cannot resume \(directory.path): \(file.path) changed its \(differences.joined(separator: " and ")) since the sweep started")
        }
    }

    /// Starts run `index`: fresh from its config, resumed from its checkpoint, or fresh again
    /// when an earlier attempt died before its first checkpoint.
    private func launch(_ index: Int, onExit: @escaping @Sendable () -> Void) throws -> Process {
        let run = plan.runs[index]
        let fm = FileManager.default
        let runDir = directory.appendingPathComponent(run.relativePath)
        let stem = run.relativePath.dropFirst("runs/".count).replacingOccurrences(of: "/", with: "-")
        let config = directory.appendingPathComponent("configs/\(stem).json")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(run.options).write(to: config, options: .atomic)
        var arguments: [String]
        if CheckpointStore(run: runDir).exists {
            arguments = ["train", "--resume", runDir.path, "--iterations", String(run.plan.iterations)]
        } else {
            if fm.fileExists(atPath: runDir.path) { try fm.removeItem(at: runDir) }
            try fm.createDirectory(at: runDir.deletingLastPathComponent(), withIntermediateDirectories: true)
            arguments = ["train", "--config", config.path]
        }
        let logURL = directory.appendingPathComponent("logs/\(stem).log")
        if !fm.fileExists(atPath: logURL.path) { _ = fm.createFile(atPath: logURL.path, contents: nil) }
        let log = try FileHandle(forWritingTo: logURL)
        try log.seekToEnd()
        log.write(Data("$ gankit \(arguments.joined(separator: " "))\n".utf8))
        let process = Process()
        // Foundation starts each run in a process group of its own, so a Ctrl-C at the terminal
        // reaches the runner only, and each run gets it once, from the runner.
        process.executableURL = executable
        process.arguments = arguments + ["--log-level", "warning"]
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        process.environment = Self.childEnvironment(ProcessInfo.processInfo.environment)
        process.terminationHandler = { _ in try? log.close(); onExit() }
        try process.run()
        return process
    }

    private func record(_ index: Int, process: Process, seconds: Double, state: SweepState) -> SweepManifest.Status {
        let (status, message) = outcome(index, process: process)
        state.update(index) {
            $0.status = status
            $0.seconds += seconds
            $0.attempts += 1
            $0.message = message
        }
        try? state.save()
        return status
    }

    /// How run `index` ended: done, diverged (its log says so) or failed, with the error it printed.
    private func outcome(_ index: Int, process: Process) -> (status: SweepManifest.Status, message: String?) {
        let run = plan.runs[index]
        let stem = run.relativePath.dropFirst("runs/".count).replacingOccurrences(of: "/", with: "-")
        let log = (try? String(contentsOf: directory.appendingPathComponent("logs/\(stem).log"), encoding: .utf8)) ?? ""
        let lastError = log.split(separator: "\n").last { $0.hasPrefix("gankit: ") }.map { String($0.dropFirst("gankit: ".count)) }
        let status: SweepManifest.Status
        if process.terminationReason == .exit && process.terminationStatus == 0 {
            status = .done
        } else if lastError?.hasPrefix("training diverged") == true {
            status = .diverged
        } else {
            status = .failed
        }
        return (status, status == .done ? nil : (lastError ?? "exit \(process.terminationStatus)"))
    }

    /// A rank other than 0: runs what rank 0 assigns, `jobs` at a time, reporting each outcome,
    /// until rank 0 has nothing left.
    private func work(for ranks: SweepRanks) throws(CLIError) {
        try ranks.awaitStart(directory: directory)
        let interrupt = InterruptFlag()
        interrupt.install()
        defer { interrupt.uninstall() }
        let finished = DispatchSemaphore(value: 0)
        var running: [Int: (process: Process, started: Date)] = [:]
        var signalled: Set<Int> = []
        var more = true
        while more || !running.isEmpty {
            while more, running.count < jobs, !interrupt.isRaised {
                guard let index = ranks.requestRun() else { more = false; break }
                do { running[index] = (try launch(index, onExit: { finished.signal() }), Date()) } catch {
                    ranks.report(.init(index: index, status: .failed, seconds: 0, message: "rank \(ranks.communicator.rank) cannot start it: \(error)"))
                }
            }
            _ = finished.wait(timeout: .now() + 0.25)
            if interrupt.isRaised {
                more = false
                for (index, r) in running where r.process.isRunning && !signalled.contains(index) {
                    r.process.interrupt()
                    signalled.insert(index)
                }
            }
            for (index, r) in running where !r.process.isRunning {
                running[index] = nil
                let (status, message) = outcome(index, process: r.process)
                ranks.report(.init(index: index, status: status, seconds: Date().timeIntervalSince(r.started), message: message))
            }
        }
        ranks.finish()
    }

    /// A run's environment: this process's, without Open MPI's (a run is a process of its own,
    /// not a rank of this job: with the launcher's variables it would try to join it).
    static func childEnvironment(_ environment: [String: String]) -> [String: String] {
        environment.filter { key, _ in !["OMPI_", "PMIX_", "PRTE_", "OPAL_"].contains { key.hasPrefix($0) } }
            .merging(["GANKIT_STOP_WITH_PARENT": "1"]) { $1 }
    }

    /// The commit of the repository holding `path`, with "-dirty" when it has uncommitted changes.
    static func commit(of path: String) -> String {
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
        func git(_ args: [String]) -> String? {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = ["git", "-C", dir] + args
            let pipe = Pipe()
            p.standardOutput = pipe
            p.standardError = FileHandle.nullDevice
            guard (try? p.run()) != nil else { return nil }
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            return p.terminationStatus == 0 ? String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : nil
        }
        guard let head = git(["rev-parse", "--short=12", "HEAD"]) else { return "unknown" }
        let dirty = git(["status", "--porcelain", "--untracked-files=no"]).map { !$0.isEmpty } ?? false
        return head + (dirty ? "-dirty" : "")
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? "\(s / 3600) h \(s % 3600 / 60) min" : s >= 60 ? "\(s / 60) min \(s % 60) s" : "\(s) s"
    }
}

/// The manifest shared between the scheduling loop and the processes' exit handlers.
private final class SweepState: @unchecked Sendable {
    private let lock = NSLock()
    private var manifest: SweepManifest
    let directory: URL

    init(manifest: SweepManifest, directory: URL) {
        self.manifest = manifest
        self.directory = directory
    }

    func update(_ index: Int, _ change: (inout SweepManifest.RunRecord) -> Void) { lock.withLock { change(&manifest.runs[index]) } }
    func addScheduling(_ seconds: Double) { lock.withLock { manifest.schedulingSeconds += seconds } }
    func addWall(_ seconds: Double) { lock.withLock { manifest.wallSeconds += seconds } }
    func snapshot() -> SweepManifest { lock.withLock { manifest } }

    func save() throws(CLIError) {
        let m = snapshot()
        do { try m.write(to: directory) } catch { throw .failure("cannot write \(SweepManifest.url(in: directory).path): \(error)") }
    }
}
