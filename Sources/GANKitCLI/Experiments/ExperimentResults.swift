import Foundation
import GANKitMetrics

/// Every run's evaluated metrics, read back from the runs' metrics.jsonl, and their summaries
/// over seeds.
struct ExperimentResults {
    /// One run's metrics at each evaluated iteration, flattened to `name → value`.
    struct RunMetrics {
        var record: SweepManifest.RunRecord
        var evaluations: [(iteration: Int, values: [String: Double])]

        /// The value at the last evaluation at or before `iteration` (the first one if none is).
        func value(_ metric: String, at iteration: Int) -> (iteration: Int, value: Double)? {
            let candidates = evaluations.filter { $0.values[metric] != nil }
            guard let chosen = candidates.last(where: { $0.iteration <= iteration }) ?? candidates.first else { return nil }
            return (chosen.iteration, chosen.values[metric]!)
        }

        /// The mean over evaluations within `a…b` (the last evaluation if none falls there).
        func mean(_ metric: String, over a: Int, _ b: Int) -> Double? {
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

    var manifest: SweepManifest
    var file: ExperimentFile
    var cells: [String]
    var runs: [RunMetrics]

    /// Reads the sweep in `directory`. With `presentation`, the tables, figures, panels and prose
    /// come from that (edited) file, which must declare the same runs and the same checks: the
    /// verdict cannot change after the runs.
    init(directory: URL, presentation: String? = nil) throws(CLIError) {
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
    /// `ensemble.NAME`, `ensemble.uncovered_by_size_strict.K`, `G1.NAME`, `loss.G0`, `weight_variance.G0`.
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
            for key in ["loss", "weight_variance"] {
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
