import Foundation

/// A sweep resolved for one scale: every (cell, seed) run with its complete options, checked
/// with the same validation as `gankit train` before the first run starts.
public struct ExperimentPlan: Sendable {
    /// One training run of the sweep.
    public struct Run: Sendable {
        /// The variant with the axis values, e.g. `10-S-WGAN-GP / ring8`.
        public var cell: String
        public var variant: String
        public var seed: UInt64
        /// Options as `gankit train --config` takes them (`out` set).
        public var options: TrainOptions
        public var plan: RunPlan
        /// `runs/<cell-slug>/seed-<s>` under the sweep's directory.
        public var relativePath: String
    }

    public var file: ExperimentFile
    /// nil: the file's base setting.
    public var scale: String?
    public var seeds: [UInt64]
    public var cells: [String]
    public var runs: [Run]
    /// Threads each run uses (the file's `threads`, 1 unless it says otherwise).
    public var threadsPerRun: Int

    /// Resolves `file` at `scale` with `seedCount` seeds (default: the scale's, else the file's)
    /// from `firstSeed` on, placing runs under `directory`. A first seed above 0 extends an
    /// earlier sweep (elsewhere, or committed as its results.json) with seeds it did not run.
    public init(file: ExperimentFile, scale: String?, seedCount: Int?, firstSeed: UInt64 = 0, directory: URL) throws(CLIError) {
        self.file = file
        self.scale = scale
        var scaleOptions = TrainOptions()
        var scaleSeeds: Int?
        if let scale {
            guard let s = file.scales[scale] else {
                let known = file.scales.keys.sorted()
                throw .badInput("invalid --scale: \(file.path) has no scale '\(scale)'\(known.isEmpty ? "" : " (it has: \(known.joined(separator: ", ")))")")
            }
            scaleOptions = s.options
            scaleSeeds = s.seeds
        }
        if let seedCount, seedCount < 1 { throw .badInput("invalid --seeds: must be at least 1 (got \(seedCount))") }
        let count = seedCount ?? scaleSeeds ?? file.seeds
        guard firstSeed <= UInt64.max - UInt64(count) else { throw .badInput("invalid --first-seed: \(firstSeed) + \(count) seeds passes the largest seed") }
        seeds = (0..<UInt64(count)).map { firstSeed + $0 }

        // Cross the axes: each combination is a list of (label, options).
        var combinations: [[(label: String, options: TrainOptions)]] = [[]]
        for axis in file.axes {
            combinations = combinations.flatMap { combo in zip(axis.labels, axis.values).map { combo + [($0, $1)] } }
        }
        var runs: [Run] = []
        var cells: [String] = []
        for combo in combinations {
            for variant in file.variants {
                let cell = ([variant.name] + combo.map(\.label)).joined(separator: " / ")
                cells.append(cell)
                for seed in seeds {
                    var options = file.base
                    for axisValue in combo { options = options.overridden(by: axisValue.options) }
                    options = options.overridden(by: variant.options).overridden(by: scaleOptions)
                    options.threads = options.threads ?? 1
                    options.seed = seed
                    let relative = "runs/\(Self.slug(cell))/seed-\(seed)"
                    options.out = directory.appendingPathComponent(relative).path
                    let plan: RunPlan
                    do { plan = try options.plan() } catch {
                        throw .badInput("\(file.path):\(variant.line): variant '\(cell)': \(error.message)")
                    }
                    runs.append(Run(cell: cell, variant: variant.name, seed: seed, options: plan.options, plan: plan, relativePath: relative))
                }
            }
        }
        guard Set(cells.map(Self.slug)).count == cells.count else {
            throw .badInput("\(file.path): two variants have the same directory name once spelled for a path; rename one")
        }
        self.cells = cells
        self.runs = runs
        let threads = Set(runs.map { $0.plan.training.threads })
        guard threads.count == 1 else {
            throw .badInput("\(file.path): every run of a sweep uses the same 'threads' (found \(threads.sorted()))")
        }
        threadsPerRun = threads.first!
        // A check or figure naming a metric at an iteration past the end is a mistake in the file.
        let iterations = Set(runs.map(\.plan.iterations))
        if scale != "smoke", let longest = iterations.max() {
            for check in file.checks {
                let last = switch check.when { case .at(let i): i; case .over(_, let b): b }
                if last > longest { throw .badInput("\(file.path): check '\(check.claim)' reads iteration \(last), past the runs' \(longest)") }
            }
        }
    }

    /// A directory name for a cell: letters, digits, '-', '.', '_' kept, the rest '_'.
    public static func slug(_ cell: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._")
        var out = ""
        for ch in cell.replacingOccurrences(of: " / ", with: "__") { out.append(allowed.contains(ch) ? ch : "_") }
        return out
    }
}
