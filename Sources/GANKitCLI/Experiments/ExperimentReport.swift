import Foundation
import GANKitData
import GANKitMetrics
import GANKitReport

/// `gankit experiment report`: aggregates a sweep into results.json and results.csv.gz (every
/// metric at every evaluated iteration of every run), a Markdown page (claim, settings, table of
/// mean ± 95% CI, every seed's number, the checks and the verdict), curves with confidence bands
/// (PNG and SVG), the sample panels, and an index of all pages in the output folder.
struct ExperimentReport {
    let results: ExperimentResults
    let sweepDirectory: URL
    /// The folder the page goes in; assets go in `out/<name>/`.
    let out: URL

    var name: String { results.file.name }
    var assets: URL { out.appendingPathComponent(name) }

    func write() throws {
        let fm = FileManager.default
        try? fm.removeItem(at: assets)
        try fm.createDirectory(at: assets, withIntermediateDirectories: true)
        let checks = evaluateChecks()
        let verdict = ClaimCheck.verdict(checks)
        try writeCSV()
        try writeJSON(checks: checks, verdict: verdict)
        let figures = try writeFigures()
        let panels = try copyPanels()
        try page(checks: checks, verdict: verdict, figures: figures, panels: panels)
            .write(to: out.appendingPathComponent("\(name).md"), atomically: true, encoding: .utf8)
        try ReproductionIndex(folder: out).write()
    }

    /// The axis combinations ("" when the file has no axes), in file order.
    var contexts: [String] {
        var combos = [""]
        for axis in results.file.axes {
            combos = combos.flatMap { c in axis.labels.map { c.isEmpty ? $0 : c + " / " + $0 } }
        }
        return combos
    }

    func evaluateChecks() -> [ClaimCheck] {
        results.file.checks.flatMap { check in contexts.map { ClaimCheck(check, context: $0, results: results) } }
    }

    // MARK: Data files

    /// One row per run and evaluated iteration, one column per metric (empty where a run has none).
    private func writeCSV() throws {
        let metrics = results.metricNames
        func q(_ s: String) -> String { s.contains(",") || s.contains("\"") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s }
        var csv = (["cell", "variant", "seed", "status", "iteration"] + metrics).map(q).joined(separator: ",") + "\n"
        for run in results.runs {
            for e in run.evaluations {
                let head = [q(run.record.cell), q(run.record.variant), "\(run.record.seed)", run.record.status.rawValue, "\(e.iteration)"]
                csv += (head + metrics.map { e.values[$0].map { "\($0)" } ?? "" }).joined(separator: ",") + "\n"
            }
        }
        // Gzipped: the CSV repeats results.json in another shape, and committed results have a size budget.
        try Gzip.write(Data(csv.utf8), to: assets.appendingPathComponent("results.csv.gz"))
        // An uncompressed table from an earlier report would now be stale.
        try? FileManager.default.removeItem(at: assets.appendingPathComponent("results.csv"))
    }

    private func writeJSON(checks: [ClaimCheck], verdict: (verdict: String, reason: String)) throws {
        let m = results.manifest
        func clean(_ v: Double?) -> Any { v.flatMap { $0.isFinite ? $0 : nil } ?? NSNull() }
        let runs: [[String: Any]] = results.runs.map { run in
            ["cell": run.record.cell, "variant": run.record.variant, "seed": run.record.seed, "status": run.record.status.rawValue,
             "seconds": run.record.seconds, "message": run.record.message ?? NSNull(),
             // Column-wise: one list of values per metric, aligned with "iterations" (null where missing).
             "iterations": run.evaluations.map(\.iteration),
             "metrics": Dictionary(uniqueKeysWithValues: Set(run.evaluations.flatMap(\.values.keys)).map { name in
                 (name, run.evaluations.map { clean($0.values[name]) })
             })]
        }
        let checkObjects: [[String: Any]] = checks.map { c in
            ["claim": c.check.claim, "context": c.context, "metric": c.check.metric, "when": c.check.when.description,
             "method": c.check.method, "baseline": c.check.baseline ?? NSNull(), "baseline_metric": c.check.baselineMetric ?? NSNull(),
             "value": c.check.value ?? NSNull(), "better": c.check.tolerance != nil ? "similar" : c.check.higherIsBetter ? "higher" : "lower",
             "tolerance": c.check.tolerance ?? NSNull(),
             "method_mean": clean(c.method?.mean), "method_half_width": clean(c.method?.halfWidth),
             "baseline_mean": clean(c.baseline?.mean), "baseline_half_width": clean(c.baseline?.halfWidth),
             "outcome": c.outcome.rawValue, "reason": c.reason]
        }
        let object: [String: Any] = [
            "experiment": name, "title": results.file.title, "paper": results.file.paper, "scale": m.scale ?? "base",
            "commit": m.commit, "blas_cores": m.blasCores ?? [], "command": m.command, "resumes": m.resumes ?? [], "seeds": results.seeds, "sweep_seeds": m.seeds,
            "included": results.included.map { e -> [String: Any] in
                ["path": e.path, "commit": e.commit, "command": e.command, "sweep_seeds": e.seeds, "wall_seconds": e.wallSeconds, "blas_cores": e.blasCores ?? []]
            },
            "experiment_file": results.ran.text, "wall_seconds": m.wallSeconds,
            "run_seconds": m.runs.map(\.seconds).reduce(0, +), "scheduling_seconds": m.schedulingSeconds,
            "verdict": verdict.verdict, "verdict_reason": verdict.reason, "checks": checkObjects, "runs": runs,
        ]
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        // Gzipped like the CSV: every metric of every run at every evaluation is most of the
        // committed results' size budget (a third of it compressed).
        try Gzip.write(data, to: assets.appendingPathComponent("results.json.gz"))
        try? FileManager.default.removeItem(at: assets.appendingPathComponent("results.json"))
        let summary: [String: Any] = ["experiment": name, "title": results.file.title, "paper": results.file.paper,
                                      "verdict": verdict.verdict, "reason": verdict.reason, "scale": m.scale ?? "base", "commit": m.commit]
        try JSONSerialization.data(withJSONObject: summary, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            .write(to: assets.appendingPathComponent("verdict.json"), options: .atomic)
    }

    // MARK: Figures

    private func writeFigures() throws -> [(title: String, file: String)] {
        var written: [(String, String)] = []
        for (f, figure) in results.file.figures.enumerated() {
            for context in contexts {
                let chart = figure.kind == .curves ? curves(figure, context: context) : versus(figure, context: context)
                let stem = "figure-\(f + 1)" + (context.isEmpty ? "" : "-" + ExperimentPlan.slug(context))
                try chart.svg().write(to: assets.appendingPathComponent(stem + ".svg"), atomically: true, encoding: .utf8)
                try chart.render(width: 1280, height: 800).indexedPNG().write(to: assets.appendingPathComponent(stem + ".png"), options: .atomic)
                written.append((chart.title, "\(name)/\(stem).png"))
            }
        }
        return written
    }

    private func cellsIn(_ context: String, _ figure: ExperimentFile.Figure) -> [(variant: ExperimentFile.Variant, cell: String)] {
        results.file.variants.filter { figure.variants.isEmpty || figure.variants.contains($0.name) || $0.name == figure.relativeTo }
            .map { ($0, context.isEmpty ? $0.name : $0.name + " / " + context) }
    }

    private func curves(_ figure: ExperimentFile.Figure, context: String) -> BandChart {
        var series: [BandChart.Series] = []
        let cells = cellsIn(context, figure)
        for metric in figure.metrics {
            let reference: [Int: Double]? = figure.relativeTo.map { ref in
                let cell = context.isEmpty ? ref : ref + " / " + context
                return Dictionary(uniqueKeysWithValues: results.iterations(of: cell).compactMap { i in
                    results.interval(cell, metric, .at(i)).ci.map { (i, $0.mean) }
                })
            }
            for (k, entry) in cells.enumerated() where entry.variant.name != figure.relativeTo {
                var points: [BandChart.Point] = []
                for i in results.iterations(of: entry.cell) {
                    if let reference {
                        // WeGAN's relative improvement, per seed against the baseline's mean.
                        guard let base = reference[i], base != 0 else { continue }
                        let values = results.runs(of: entry.cell).compactMap { $0.value(metric, at: i).flatMap { $0.iteration == i ? (base - $0.value) / base : nil } }
                        if let ci = ConfidenceInterval(values) { points.append(Self.point(Double(i), ci)) }
                    } else if let ci = results.interval(entry.cell, metric, .at(i)).ci {
                        points.append(Self.point(Double(i), ci))
                    }
                }
                let label = figure.metrics.count > 1 ? "\(entry.variant.name): \(metric)" : entry.variant.name
                series.append(.init(name: label, color: Self.color(series.count), points: points))
                _ = k
            }
        }
        let metricTitle = figure.metrics.joined(separator: ", ")
        let title = (figure.title ?? (figure.relativeTo.map { "relative improvement of \(metricTitle) over \($0)" } ?? metricTitle))
            + (context.isEmpty ? "" : " (\(describe(context)))")
        return BandChart(title: title, xLabel: "iteration", yLabel: figure.relativeTo == nil ? metricTitle : "(baseline - method) / baseline",
                         series: series, logY: figure.logY)
    }

    private func versus(_ figure: ExperimentFile.Figure, context: String) -> BandChart {
        let when = figure.when!
        let series: [BandChart.Series] = figure.metrics.enumerated().map { k, metric in
            let points = cellsIn(context, figure).compactMap { entry -> BandChart.Point? in
                results.interval(entry.cell, metric, when).ci.map { Self.point(entry.variant.x!, $0) }
            }
            return .init(name: metric, color: Self.color(k), points: points)
        }
        let at = switch when { case .at(let i): "iteration \(i)"; case let .over(a, b): "iterations \(a)–\(b)" }
        let title = (figure.title ?? figure.metrics.joined(separator: ", ")) + ", \(at)" + (context.isEmpty ? "" : " (\(describe(context)))")
        return BandChart(title: title, xLabel: figure.xLabel ?? "x", yLabel: figure.metrics.count == 1 ? figure.metrics[0] : "value",
                         series: series, logY: figure.logY, markers: true)
    }

    static func point(_ x: Double, _ ci: ConfidenceInterval) -> BandChart.Point {
        BandChart.Point(x: x, y: ci.mean, lower: ci.lower ?? ci.mean, upper: ci.upper ?? ci.mean)
    }

    static func color(_ k: Int) -> RGB { k == 0 ? Palette.global : Palette.localGenerator(k) }

    // MARK: Panels

    /// The first seed's sample pictures nearest each requested iteration, per cell.
    private func copyPanels() throws -> [(cell: String, iterations: [(Int, String?)])] {
        guard !results.file.panels.isEmpty, let seed = results.manifest.seeds.first else { return [] }
        let fm = FileManager.default
        try fm.createDirectory(at: assets.appendingPathComponent("panels"), withIntermediateDirectories: true)
        var out: [(String, [(Int, String?)])] = []
        for cell in results.cells {
            guard let run = results.runs.first(where: { $0.record.cell == cell && $0.record.seed == seed }) else { continue }
            let samples = sweepDirectory.appendingPathComponent(run.record.path).appendingPathComponent("samples")
            let available = ((try? fm.contentsOfDirectory(atPath: samples.path)) ?? []).compactMap { f -> Int? in
                guard f.hasPrefix("iteration-"), f.hasSuffix(".png") else { return nil }
                return Int(f.dropFirst("iteration-".count).dropLast(4))
            }.sorted()
            var row: [(Int, String?)] = []
            for wanted in results.file.panels {
                guard let it = available.min(by: { abs($0 - wanted) < abs($1 - wanted) }) else { row.append((wanted, nil)); continue }
                let source = samples.appendingPathComponent(String(format: "iteration-%08d.png", it))
                let target = "panels/\(ExperimentPlan.slug(cell))-\(it).png"
                try Self.halved(try Data(contentsOf: source), path: source.path).write(to: assets.appendingPathComponent(target), options: .atomic)
                row.append((it, "\(name)/\(target)"))
            }
            out.append((cell, row))
        }
        return out
    }

    /// Text sweeps: each cell's first-seed sample sentences (`metrics.snippets`) at the evaluation
    /// nearest each panel iteration.
    private func sentenceRows() -> [(cell: String, iterations: [(Int, [String]?)])]? {
        guard !results.file.panels.isEmpty, let seed = results.manifest.seeds.first else { return nil }
        var out: [(String, [(Int, [String]?)])] = []
        for cell in results.cells {
            guard let run = results.runs.first(where: { $0.record.cell == cell && $0.record.seed == seed }),
                  let text = try? String(contentsOf: sweepDirectory.appendingPathComponent(run.record.path).appendingPathComponent("metrics.jsonl"), encoding: .utf8)
            else { continue }
            var byIteration: [(Int, [String])] = []
            for line in text.split(separator: "\n") {
                guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                      let iteration = object["iteration"] as? Int, let metrics = object["metrics"] as? [String: Any],
                      let snippets = metrics["snippets"] as? [String] else { continue }
                byIteration.append((iteration, snippets))
            }
            out.append((cell, results.file.panels.map { wanted in
                guard let nearest = byIteration.min(by: { abs($0.0 - wanted) < abs($1.0 - wanted) }) else { return (wanted, nil) }
                return (nearest.0, nearest.1)
            }))
        }
        return out
    }

    /// A sentence as inline HTML code, safe inside a Markdown table (backticks, pipes, spaces kept).
    static func htmlCode(_ s: String) -> String {
        var escaped = ""
        for c in s {
            switch c {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "|": escaped += "&#124;"
            case "`": escaped += "&#96;"
            case "*": escaped += "&#42;"
            case "_": escaped += "&#95;"
            case "\\": escaped += "&#92;"
            case " ": escaped += "&nbsp;"
            default: escaped.append(c)
            }
        }
        return "<code>\(escaped)</code>"
    }

    /// A PNG at half its size (2 × 2 box filter), as an indexed PNG of at most 256 colours: the
    /// pages show many panels, and the repository keeps them.
    static func halved(_ png: Data, path: String) throws -> Data {
        let image = try ImageCodec.decode(png, channels: 3, path: path)
        let w = image.width / 2, h = image.height / 2
        guard w >= 1, h >= 1 else { return png }
        var out = [UInt8](repeating: 0, count: w * h * 3)
        image.pixels.withUnsafeBufferPointer { p in
            for y in 0..<h {
                for x in 0..<w {
                    for c in 0..<3 {
                        let i = ((2 * y) * image.width + 2 * x) * 3 + c, j = i + image.width * 3
                        let top: Int = Int(p[i]) + Int(p[i + 3])
                        let bottom: Int = Int(p[j]) + Int(p[j + 3])
                        out[(y * w + x) * 3 + c] = UInt8((top + bottom + 2) / 4)
                    }
                }
            }
        }
        return try ColorQuantizer.png(rgb: out, width: w, height: h)
    }

    /// An axis combination as words: `discriminator-steps 1`, `ring8`.
    func describe(_ context: String) -> String {
        let labels = context.components(separatedBy: " / ")
        return zip(results.file.axes, labels).map { axis, label in Double(label) != nil ? "\(axis.key) \(label)" : label }.joined(separator: ", ")
    }

    // MARK: The page

    private func format(_ c: ConfidenceInterval?) -> String {
        guard let c else { return "–" }
        func g(_ v: Double) -> String { abs(v) >= 1e4 || (abs(v) < 1e-3 && v != 0) ? String(format: "%.2e", v) : String(format: "%.4g", v) }
        return c.halfWidth.map { "\(g(c.mean)) ± \(g($0))" } ?? "\(g(c.mean)) (n = 1)"
    }

    private func page(checks: [ClaimCheck], verdict: (verdict: String, reason: String), figures: [(title: String, file: String)],
                      panels: [(cell: String, iterations: [(Int, String?)])]) -> String {
        let file = results.file, m = results.manifest
        var p = "# \(file.title)\n\n"
        p += "*\(file.paper)* · [experiment file](../../experiments/\(name).yaml) · [results.json.gz](\(name)/results.json.gz) · [results.csv.gz](\(name)/results.csv.gz)\n\n"
        p += "**Verdict: \(verdict.verdict)** — \(verdict.reason).\n\n"
        p += "## The claim\n\n\(file.claim.trimmingCharacters(in: .whitespacesAndNewlines))\n\n"
        p += "## How it was run\n\n"
        let runSeconds = m.runs.map(\.seconds).reduce(0, +)
        let resumes = (m.resumes ?? []).map { ", continued by `\($0)`" }.joined()
        p += "- Command: `\(m.command)`\(resumes), then `gankit experiment report \(sweepDirectory.path)`\n"
        p += "- Commit: `\(m.commit)`; scale: **\(m.scale ?? "base")**; seeds: \(results.seeds.map(String.init).joined(separator: ", ")) (\(results.seeds.count) per cell"
            + (results.included.isEmpty ? ")\n" : "; this sweep ran \(m.seeds.map(String.init).joined(separator: ", ")))\n")
        for earlier in results.included {
            p += "- Merged from `\(earlier.path)`: seeds \(earlier.seeds.map(String.init).joined(separator: ", ")), run at commit `\(earlier.commit)` by `\(earlier.command)` "
                + "(wall time \(ExperimentRunner.duration(earlier.wallSeconds)); BLAS kernels: \(earlier.blasCores.map { "OpenBLAS " + $0.joined(separator: ", then ") } ?? "not recorded"))\n"
        }
        switch m.blasCores {
        case nil: p += "- BLAS kernels: not recorded (the sweep predates the record); a seed repeats its numbers only under the same OpenBLAS kernels\n"
        case let cores? where cores.count > 1: p += "- BLAS kernels: OpenBLAS \(cores.joined(separator: ", then ")) (the sweep was resumed under other kernels: its runs are not all comparable seed by seed)\n"
        case let cores?: p += "- BLAS kernels: OpenBLAS \(cores.joined())\n"
        }
        p += String(format: "- Wall time: %@ for %d runs (%@ of run time, %d at a time on %d thread(s) each); runner overhead %.2f%% of run time\n",
                    ExperimentRunner.duration(m.wallSeconds), m.runs.count, ExperimentRunner.duration(runSeconds), m.jobs, m.threadsPerRun,
                    runSeconds > 0 ? 100 * m.schedulingSeconds / runSeconds : 0)
        let diverged = m.runs.filter { $0.status == .diverged }
        let failed = m.runs.filter { $0.status == .failed || $0.status == .pending }
        if !diverged.isEmpty {
            p += "- Diverged (kept as results; their metrics stop where they diverged): "
                + diverged.map { "\($0.cell) seed \($0.seed)" }.joined(separator: ", ") + "\n"
        }
        if !failed.isEmpty { p += "- **Incomplete**: " + failed.map { "\($0.cell) seed \($0.seed) (\($0.status.rawValue))" }.joined(separator: ", ") + "\n" }
        if let settings = file.settings { p += "\n" + settings.trimmingCharacters(in: .whitespacesAndNewlines) + "\n" }
        if let scale = m.scale, let note = file.scales[scale]?.note { p += "\nAt this scale: \(note)\n" }
        p += "\nBase options (every run): `" + Self.optionsLine(file.base) + "`; threads \(m.threadsPerRun) per run.\n\n"
        p += "| variant | its options |\n| --- | --- |\n"
        for v in file.variants { p += "| \(v.name) | `\(Self.optionsLine(v.options))` |\n" }
        for axis in file.axes {
            p += "\nCrossed with `\(axis.key)`: \(axis.labels.joined(separator: ", ")); a cell is named `variant / \(file.axes.map(\.key).joined(separator: " / "))`.\n"
        }
        if let scale = m.scale, let s = file.scales[scale] { p += "\nScale `\(scale)` overrides: `\(Self.optionsLine(s.options))`.\n" }

        p += "\n## Checks (declared in the experiment file before the runs)\n\n"
        p += "A check holds when the 95% confidence intervals (Student t over seeds) are apart in the claimed direction "
            + "(for two metrics of the same runs: when the interval of the per-seed difference excludes 0). "
            + "Reproduced: every check holds; not reproduced: none holds; partly: some do.\n\n"
        p += "| claim | at | where | outcome | numbers |\n| --- | --- | --- | --- | --- |\n"
        for c in checks {
            p += "| \(c.check.claim) | \(c.check.when) | \(c.context.isEmpty ? "–" : c.context) | **\(c.outcome.rawValue)** | \(c.reason) |\n"
        }
        if checks.contains(where: { $0.outcome == .inconclusive }) {
            p += "\nWhere a check is inconclusive, the intervals overlap at \(results.seeds.count) seeds; more seeds (`--resume --seeds \(max(10, 2 * results.seeds.count))`) may separate them.\n"
        }

        if !file.tableMetrics.isEmpty {
            p += "\n## Mean ± 95% confidence interval over seeds\n\n"
            var its: [Int] = []
            for i in (file.tableIterations.isEmpty ? [Int.max] : file.tableIterations) where !its.contains(results.resolvedIteration(i)) {
                its.append(results.resolvedIteration(i))
            }
            for metric in file.tableMetrics {
                p += "\n**\(metric)**\n\n| cell | " + its.map { "it. \(results.resolvedIteration($0))" }.joined(separator: " | ") + " |\n"
                p += "| --- |" + String(repeating: " --- |", count: its.count) + "\n"
                for cell in results.cells {
                    p += "| \(cell) | " + its.map { format(results.interval(cell, metric, .at($0)).ci) }.joined(separator: " | ") + " |\n"
                }
            }
            let last = its.last!
            p += "\n### Every seed at iteration \(results.resolvedIteration(last))\n"
            for metric in file.tableMetrics {
                p += "\n**\(metric)**\n\n| cell | " + results.seeds.map { "seed \($0)" }.joined(separator: " | ") + " |\n"
                p += "| --- |" + String(repeating: " --- |", count: results.seeds.count) + "\n"
                for cell in results.cells {
                    let runs = results.runs(of: cell)
                    let values = results.seeds.map { s in runs.first { $0.record.seed == s }?.value(metric, at: last).map { String(format: "%.4g", $0.value) } ?? "–" }
                    p += "| \(cell) | " + values.joined(separator: " | ") + " |\n"
                }
            }
        }
        if !figures.isEmpty {
            p += "\n## Figures\n\nMean over seeds; the band is the 95% confidence interval. SVG beside each PNG.\n\n"
            for f in figures { p += "<img src=\"\(f.file)\" alt=\"\(f.title)\" width=\"640\">\n\n" }
        }
        let isText = file.base.dataset?.isText ?? false
        if isText, let snippets = sentenceRows(), !snippets.isEmpty {
            p += "\n## Sentences (seed \(m.seeds.first!))\n\nThe first three of G0's (or the single generator's) sentences at each "
                + "evaluation nearest the panel iterations, each position's most probable character; ` is padding, trailing padding is cut.\n\n"
            let its = snippets[0].iterations.map(\.0)
            p += "| cell | " + its.map { "it. \($0)" }.joined(separator: " | ") + " |\n| --- |" + String(repeating: " --- |", count: its.count) + "\n"
            for row in snippets {
                p += "| \(row.cell) | " + row.iterations.map { $0.1.map { $0.prefix(3).map(Self.htmlCode).joined(separator: "<br>") } ?? "–" }
                    .joined(separator: " | ") + " |\n"
            }
        }
        if !panels.isEmpty {
            p += "\n## Panels (seed \(m.seeds.first!))\n\n"
            p += isText ? "Pictures of G0's (or the single generator's) snapshot sentences (`samples/iteration-*.txt` of the run).\n\n"
                : "Real data grey, local generators coloured, G0 (or the single generator) red, "
                + "over the level sets of D0 (or D): orange is \"real\", blue \"fake\".\n\n"
            let its = panels[0].iterations.map(\.0)
            p += "| cell | " + its.map { "it. \($0)" }.joined(separator: " | ") + " |\n| --- |" + String(repeating: " --- |", count: its.count) + "\n"
            for row in panels {
                p += "| \(row.cell) | " + row.iterations.map { $0.1.map { "<img src=\"\($0)\" width=\"180\">" } ?? "–" }.joined(separator: " | ") + " |\n"
            }
        }
        if let discussion = file.discussion {
            p += "\n## Discussion\n\n" + discussion.trimmingCharacters(in: .whitespacesAndNewlines) + "\n"
        }
        // Commentary written after looking at the results lives beside the page, marked as such.
        let notes = out.appendingPathComponent("\(name).discussion.md")
        if let text = try? String(contentsOf: notes, encoding: .utf8) {
            p += "\n## Discussion (written after the runs; the verdict above does not depend on it)\n\n" + text.trimmingCharacters(in: .whitespacesAndNewlines) + "\n"
        }
        return p
    }

    /// Options as `key: value` pairs, the ones set only.
    static func optionsLine(_ options: TrainOptions) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(options), let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return "" }
        // JSONSerialization hands booleans back as the numbers 0 and 1: read them as booleans.
        let flags = (try? JSONDecoder().decode([String: Flag].self, from: data)) ?? [:]
        let parts = object.keys.sorted().map { key in "\(key): " + (flags[key]?.value.map(String.init) ?? "\(object[key]!)") }
        return parts.isEmpty ? "(none)" : parts.joined(separator: ", ")
    }

    /// A value that is a JSON boolean, or nil for any other value (numbers included).
    private struct Flag: Decodable {
        let value: Bool?
        init(from decoder: Decoder) throws { value = try? decoder.singleValueContainer().decode(Bool.self) }
    }
}

/// `docs/reproduction/README.md`: every page in the folder with its verdict, from the pages'
/// verdict.json files, so the index is never edited by hand.
struct ReproductionIndex {
    let folder: URL

    func write() throws {
        let fm = FileManager.default
        var rows: [(String, [String: Any])] = []
        for entry in ((try? fm.contentsOfDirectory(atPath: folder.path)) ?? []).sorted() {
            let verdict = folder.appendingPathComponent(entry).appendingPathComponent("verdict.json")
            guard let data = fm.contents(atPath: verdict.path),
                  let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { continue }
            rows.append((entry, object))
        }
        var p = "# Reproduction of SGAN and WeGAN: every claim and its verdict\n\n"
        p += "Each page is written by `gankit experiment report` from a sweep of `gankit experiment run experiments/NAME.yaml`; "
            + "its verdict comes from checks declared in the experiment file before the runs. This index is regenerated with every report.\n\n"
        p += "| experiment | paper | verdict | why | scale | commit |\n| --- | --- | --- | --- | --- | --- |\n"
        for (name, o) in rows {
            p += "| [\(o["title"] as? String ?? name)](\(name).md) | \(o["paper"] as? String ?? "") | **\(o["verdict"] as? String ?? "?")** | "
                + "\(o["reason"] as? String ?? "") | \(o["scale"] as? String ?? "") | `\(o["commit"] as? String ?? "")` |\n"
        }
        try p.write(to: folder.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
    }
}
