import ArgumentParser
import Foundation
import GANKitDistributed

/// `gankit experiment`: sweeps declared in files, and their reports.
struct ExperimentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "experiment",
        abstract: "Run an experiment file (variants × seeds) and report it with confidence intervals and a verdict.",
        subcommands: [ExperimentRunCommand.self, ExperimentReportCommand.self])
}

/// `gankit experiment run FILE`.
struct ExperimentRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run every variant of an experiment file over its seeds, J runs at a time; resumable.")

    @Argument(help: ArgumentHelp("The experiment file (experiments/NAME.yaml).", valueName: "FILE")) var file: String
    @Option(help: "smoke (seconds, checks the file and the runner) or full (the paper's setting); default: the file's base.")
    var scale: String?
    @Option(help: "Seeds per cell (seeds 0…K−1, or S…S+K−1 with --first-seed; default: the file's).") var seeds: Int?
    @Option(help: ArgumentHelp("The first seed (default 0): extend an earlier sweep with new seeds, then merge its results.json.gz with `report --with`.", valueName: "S"))
    var firstSeed: UInt64 = 0
    @Option(help: "Runs at a time, on each rank under mpirun (jobs × the runs' threads ≤ cores; default: as many as fit).") var jobs: Int?
    @Option(help: ArgumentHelp("Sweep directory (default runs/experiments/NAME[-SCALE]).", valueName: "DIR")) var out: String?
    @Flag(help: "Continue the sweep in --out: finished runs are kept, unfinished ones resume from their checkpoints.") var resume = false

    func run() throws {
        let experiment = try ExperimentFile.load(file)
        let directory = URL(fileURLWithPath: out ?? "runs/experiments/\(experiment.name)\(scale.map { "-\($0)" } ?? "")").standardizedFileURL
        let plan = try ExperimentPlan(file: experiment, scale: scale, seedCount: seeds, firstSeed: firstSeed, directory: directory)
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let fit = max(1, cores / plan.threadsPerRun)
        if let jobs, jobs < 1 { throw CLIError.badInput("invalid --jobs: must be at least 1 (got \(jobs))") }
        if let jobs, jobs * plan.threadsPerRun > cores {
            throw CLIError.badInput("invalid --jobs: \(jobs) runs × \(plan.threadsPerRun) thread(s) each exceeds this machine's \(cores) cores")
        }
        var command = "gankit experiment run \(file)"
        if let scale { command += " --scale \(scale)" }
        command += " --seeds \(plan.seeds.count)"
        if firstSeed > 0 { command += " --first-seed \(firstSeed)" }
        if let jobs { command += " --jobs \(jobs)" }
        var runner = ExperimentRunner(plan: plan, directory: directory, jobs: jobs ?? fit, resume: resume,
                                      executable: try ExperimentRunner.gankitExecutable(), command: command, console: Console.current)
        // Under mpirun, the ranks share the sweep's runs.
        var communicator: MPICommunicator?
        if MPICommunicator.isLaunched {
            do { communicator = try MPICommunicator() } catch { throw CLIError.failure("cannot start MPI: \(error)") }
            if communicator!.size > 1 { runner.ranks = SweepRanks(communicator: communicator!) }
        }
        defer { communicator?.finalize() }
        try runner.run()
    }
}

/// `gankit experiment report DIR`.
struct ExperimentReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Aggregate a sweep: results.json.gz/csv.gz, mean ± 95% CI tables, curves, panels and a page with the verdict.")

    @Argument(help: ArgumentHelp("The sweep directory.", valueName: "DIR")) var directory: String
    @Option(help: ArgumentHelp("Folder of the page (NAME.md) and its assets (NAME/); default DIR/report.", valueName: "FOLDER")) var out: String?
    @Option(help: ArgumentHelp("Take tables, figures and prose from this edited experiment file (same runs and checks required).", valueName: "FILE"))
    var file: String?
    @Option(name: .customLong("with"), help: ArgumentHelp("Merge the runs of an earlier sweep of this experiment from the results.json.gz its report wrote (or an older plain results.json; other seeds: run --first-seed); repeatable.", valueName: "RESULTS_JSON"))
    var included: [String] = []

    func run() throws {
        let dir = URL(fileURLWithPath: directory).standardizedFileURL
        let results = try ExperimentResults(directory: dir, presentation: file, including: included)
        let folder = URL(fileURLWithPath: out ?? dir.appendingPathComponent("report").path).standardizedFileURL
        let report = ExperimentReport(results: results, sweepDirectory: dir, out: folder)
        do { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true); try report.write() } catch {
            throw CLIError.failure("cannot write the report to \(folder.path): \(error)")
        }
        let verdict = ClaimCheck.verdict(report.evaluateChecks())
        Console.current.line("\(results.file.name): \(verdict.verdict) (\(verdict.reason))")
        Console.current.line("page: \(folder.appendingPathComponent("\(results.file.name).md").path)")
    }
}
