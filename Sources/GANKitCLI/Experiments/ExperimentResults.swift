import Foundation
import GANKitData
import GANKitMetrics

/// Every run's evaluated metrics, read back from the runs' metrics.jsonl, and their summaries
/// over seeds.
struct ExperimentResults {
    /// One run's metrics at each evaluated iteration, flattened to `name → value`.
    struct RunMetrics {
        var record: SweepManifest.RunRecord
        var evaluations: [(iteration: Int, values: [String: Double])]

        /// How far a run that has not ended got (its last evaluated iteration); nil for a run
        /// that ended, done or diverged, whose last evaluation stands for every later iteration.
        var reached: Int? {
            record.status == .done || record.status == .diverged ? nil : evaluations.map(\.iteration).max() ?? 0
        }

        /// The value at the last evaluation at or before `iteration` (the first one if none is);
        /// nil when the run has not got there yet.
        func value(_ metric: String, at iteration: Int) -> (iteration: Int, value: Double)? {
            if let reached, iteration > reached { return nil }
            let candidates = evaluations.filter { $0.values[metric] != nil }
            guard let chosen = candidates.last(where: { $0.iteration <= iteration }) ?? candidates.first else { return nil }
            return (chosen.iteration, chosen.values[metric]!)
        }

        /// The mean over evaluations within `a…b` (the last evaluation if none falls there); nil
        /// when the run has not got to `b` yet.
        func mean(_ metric: String, over a: Int, _ b: Int) -> Double? {
            if let reached, b > reached { return nil }
            let inside = evaluations.filter { $0.iteration >= a && $0.iteration <= b }.compactMap { $0.values[metric] }
            if inside.isEmpty { return evaluations.last { $0.values[metric] != nil }?.values[metric] }
            return inside.reduce(0, +) / Double(inside.count)
        }

        func value(_ metric: String, _ when: ExperimentFile.When) -> Double? {
            switch when {
            case .at(let i): value(metric, at: i)?.value
            case let .over(a, b): mean(metric, over: a, b)
            }
        }
    }

    /// An earlier sweep of the same experiment whose runs were merged from its results.json
    /// (`report --with`): where its numbers come from, for the page.
    struct Included {
        var path: String
        var commit: String
        var command: String
        var seeds: [UInt64]
        var wallSeconds: Double
        var blasCores: [String]?
    }

    var manifest: SweepManifest
    var file: ExperimentFile
    /// The file as the sweep ran it (`file` may be an edited presentation of it).
    var ran: ExperimentFile
    var cells: [String]
    var runs: [RunMetrics]
    /// Earlier sweeps merged in, oldest first.
    var included: [Included] = []
    /// Every seed of the runs: the included sweeps' and this sweep's, in order.
    var seeds: [UInt64]

    /// Reads the sweep in `directory`. With `presentation`, the tables, figures, panels and prose
    /// come from that (edited) file, which must declare the same runs and the same checks: the
    /// verdict cannot change after the runs.
    ///
    /// With `including`, the runs of earlier sweeps of the same experiment and scale are merged
    /// in from the results.json their reports wrote (a sweep made elsewhere, or committed), so
    /// that a sweep of new seeds (`run --first-seed`) extends them. Their seeds must be other
    /// seeds than this sweep's. (Non-finite values, written as null there, read back as missing.)
    init(directory: URL, presentation: String? = nil, including: [String] = []) throws(CLIError) {
        manifest = try SweepManifest.read(from: directory)
        let yaml = directory.appendingPathComponent("experiment.yaml")
        guard let data = FileManager.default.contents(atPath: yaml.path), let text = String(data: data, encoding: .utf8) else {
            throw .badInput("\(directory.path): experiment.yaml is missing")
        }
        let ran: ExperimentFile
        do { ran = try ExperimentFile.parse(text, path: manifest.file, name: manifest.experiment) } catch let e as ExperimentFileError {
            throw .badInput(e.message)
        } catch { throw .badInput("\(error)") }
        file = ran
        self.ran = ran
        if let presentation {
            var edited = try ExperimentFile.load(presentation)
            let differences = edited.runDifferences(from: ran)
            if !differences.isEmpty {
                throw .badInput("invalid --file: \(presentation) declares other \(differences.joined(separator: " and ")) than the sweep ran with")
            }
            edited.name = manifest.experiment
            file = edited
        }
        var cells: [String] = []
        for r in manifest.runs where !cells.contains(r.cell) { cells.append(r.cell) }
        self.cells = cells
        runs = manifest.runs.map { record in
            RunMetrics(record: record, evaluations: Self.read(directory.appendingPathComponent(record.path).appendingPathComponent("metrics.jsonl")))
        }
        seeds = manifest.seeds
        for path in including { try include(path) }
    }

    /// Merges the runs of the results.json at `path` (see `init`).
    private mutating func include(_ path: String) throws(CLIError) {
        func bad(_ problem: String) -> CLIError { .badInput("invalid --with \(path): \(problem)") }
        guard FileManager.default.fileExists(atPath: path) else { throw bad("no such file") }
        // results.json.gz as reports write it now, or a plain results.json from an earlier report.
        guard let data = try? Gzip.read(contentsOf: URL(fileURLWithPath: path)) else { throw bad("not a readable JSON or gzip file") }
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
              let experiment = object["experiment"] as? String, let runObjects = object["runs"] as? [[String: Any]] else {
            throw bad("not the results.json(.gz) of an experiment report")
        }
        guard experiment == manifest.experiment else { throw bad("it holds experiment '\(experiment)', this sweep is '\(manifest.experiment)'") }
        let scale = object["scale"] as? String ?? "base"
        guard scale == (manifest.scale ?? "base") else { throw bad("it ran at scale \(scale), this sweep at \(manifest.scale ?? "base")") }
        // Reports record the file they ran (older ones do not: then name and scale must do).
        if let text = object["experiment_file"] as? String {
            guard let theirs = try? ExperimentFile.parse(text, path: path, name: experiment) else { throw bad("its experiment_file does not parse") }
            let differences = theirs.runDifferences(from: ran)
            if !differences.isEmpty { throw bad("it ran other \(differences.joined(separator: " and ")) than this sweep") }
        }
        var theirs: [RunMetrics] = []
        for (k, o) in runObjects.enumerated() {
            guard let cell = o["cell"] as? String, let seed = (o["seed"] as? NSNumber)?.uint64Value,
                  let statusName = o["status"] as? String, let status = SweepManifest.Status(rawValue: statusName),
                  let iterations = o["iterations"] as? [Int], let metrics = o["metrics"] as? [String: [Any]] else {
                throw bad("run \(k + 1) lacks its cell, seed, status, iterations or metrics")
            }
            guard cells.contains(cell) else { throw bad("its cell '\(cell)' is not a cell of this sweep (\(cells.joined(separator: ", ")))") }
            guard !seeds.contains(seed) else { throw bad("seed \(seed) is already in the sweep or an earlier --with; merged sweeps need other seeds") }
            var evaluations = iterations.map { (iteration: $0, values: [String: Double]()) }
            for (name, values) in metrics {
                guard values.count == iterations.count else { throw bad("run \(k + 1): \(name) has \(values.count) values for \(iterations.count) iterations") }
                for (i, v) in values.enumerated() { if let n = v as? NSNumber { evaluations[i].values[name] = n.doubleValue } }
            }
            let record = SweepManifest.RunRecord(cell: cell, variant: o["variant"] as? String ?? cell, seed: seed, path: "", status: status,
                                                 seconds: (o["seconds"] as? NSNumber)?.doubleValue ?? 0, attempts: 1,
                                                 message: o["message"] as? String)
            theirs.append(RunMetrics(record: record, evaluations: evaluations))
        }
        var theirSeeds: [UInt64] = []
        for r in theirs where !theirSeeds.contains(r.record.seed) { theirSeeds.append(r.record.seed) }
        // An included report may itself have merged earlier ones: those stay named.
        for o in object["included"] as? [[String: Any]] ?? [] { included.append(Self.included(o, path: o["path"] as? String ?? path)) }
        included.append(Self.included(object, path: path))
        runs = theirs + runs
        seeds = (seeds + theirSeeds).sorted()
    }

    /// What a results.json (or its `included` entry) says of the sweep that made it.
    private static func included(_ o: [String: Any], path: String) -> Included {
        Included(path: path, commit: o["commit"] as? String ?? "unknown", command: o["command"] as? String ?? "unknown",
                 seeds: ((o["sweep_seeds"] ?? o["seeds"]) as? [NSNumber])?.map(\.uint64Value) ?? [],
                 wallSeconds: (o["wall_seconds"] as? NSNumber)?.doubleValue ?? 0,
                 blasCores: (o["blas_cores"] as? [String]).flatMap { $0.isEmpty ? nil : $0 })
    }

    func runs(of cell: String) -> [RunMetrics] { runs.filter { $0.record.cell == cell } }

    /// Every metric name any run reported, sorted.
    var metricNames: [String] {
        Set(runs.flatMap { $0.evaluations.flatMap(\.values.keys) }).sorted()
    }

    /// The summary over seeds of `metric` in `cell`.
    func interval(_ cell: String, _ metric: String, _ when: ExperimentFile.When) -> (ci: ConfidenceInterval?, values: [Double?]) {
        let values = runs(of: cell).map { $0.value(metric, when) }
        return (ConfidenceInterval(values.compactMap { $0 }), values)
    }

    /// The iteration a table column actually shows for a requested one.
    func resolvedIteration(_ requested: Int) -> Int {
        let evaluated = Set(runs.flatMap { $0.evaluations.map(\.iteration) }).sorted()
        return evaluated.last { $0 <= requested } ?? evaluated.first ?? requested
    }

    /// The evaluated iterations of a cell, in order.
    func iterations(of cell: String) -> [Int] {
        Set(runs(of: cell).flatMap { $0.evaluations.map(\.iteration) }).sorted()
    }

    /// The lines of a metrics.jsonl that carry an evaluation, flattened: the product
    /// generator's metrics by name (with the derived `uncovered_fraction_strict`),
    /// `ensemble.NAME`, `ensemble.uncovered_by_size_strict.K`, `G1.NAME`, `loss.G0`, `weight_variance.G0`, `gradient_norm.G0`.
    static func read(_ url: URL) -> [(iteration: Int, values: [String: Double])] {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        var out: [(Int, [String: Double])] = []
        for line in text.split(separator: "\n") {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let iteration = object["iteration"] as? Int, let metrics = object["metrics"] as? [String: Any] else { continue }
            var values: [String: Double] = [:]
            flatten(metrics, prefix: "", into: &values)
            if let covered = values["modes_covered_strict"], let total = values["modes_total"], total > 0 {
                values["uncovered_fraction_strict"] = 1 - covered / total
            }
            for key in constants { values[key] = nil }
            if let ensemble = object["ensemble"] as? [String: Any] { flatten(ensemble, prefix: "ensemble.", into: &values) }
            if let generators = object["generators"] as? [String: Any] {
                for (name, g) in generators {
                    guard let g = g as? [String: Any] else { continue }
                    flatten(g.filter { localMetrics.contains($0.key) }, prefix: "\(name).", into: &values)
                }
            }
            for key in ["loss", "weight_variance", "gradient_norm"] {
                if let m = object[key] as? [String: Any] { flatten(m, prefix: "\(key).", into: &values) }
            }
            out.append((iteration, values))
        }
        return out
    }

    private static let skipped: Set<String> = ["iteration", "mode_counts", "generator"]
    /// Settings that every evaluation of a run repeats; the page states them once.
    private static let constants = ["samples", "mode_threshold", "strict_mode_threshold", "modes_total", "mmd_bandwidth"]
    /// What is kept of each local generator's metrics (all of them would be most of the data).
    private static let localMetrics: Set<String> = ["modes_covered_strict", "mmd2", "mmd2_sigma_0.1", "mmd2_sigma_0.5", "kde_log_likelihood",
                                                    "inception_score", "fid_classifier"]

    private static func flatten(_ object: [String: Any], prefix: String, into values: inout [String: Double]) {
        for (key, value) in object where !skipped.contains(key) {
            if let n = number(value) {
                values[prefix + key] = n
            } else if let array = value as? [Any] {
                for (k, element) in array.enumerated() { if let n = number(element) { values["\(prefix)\(key).\(k + 1)"] = n } }
            }
        }
    }

    private static func number(_ value: Any) -> Double? {
        // Six significant digits: the metrics are estimates, and the files stay small.
        if let n = value as? NSNumber { return Double(String(format: "%.6g", n.doubleValue)) }
        if let s = value as? String { return ["NaN": .nan, "Infinity": .infinity, "-Infinity": -.infinity][s] }
        return nil
    }
}
