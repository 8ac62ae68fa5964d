import Foundation
import GANKitReport

/// Builds a run's index.html from what is on disk (config.json, metrics.jsonl, samples/,
/// evaluation.json), so a resumed or interrupted run's report shows its whole history.
struct RunReport {
    let run: URL
    var status: String

    func write() throws {
        let options = (try? JSONDecoder().decode(TrainOptions.self, from: Data(contentsOf: run.appendingPathComponent("config.json")))) ?? TrainOptions()
        let lines = MetricsLog.read(run.appendingPathComponent("metrics.jsonl"))
        let snapshots = ((try? FileManager.default.contentsOfDirectory(atPath: run.appendingPathComponent("samples").path)) ?? [])
            .filter { $0.hasPrefix("iteration-") && $0.hasSuffix(".png") }.sorted()
        let isToy = options.dataset?.isToy ?? true
        var sections: [HTMLReport.Section] = []

        if let latest = snapshots.last {
            var blocks: [HTMLReport.Block] = [.images([(source: "samples/\(latest)", caption: "iteration \(Self.iteration(of: latest))")])]
            if isToy {
                var legend: [(String, RGB)] = [("real data", Palette.real)]
                if options.topology == .sgan, let n = options.pairs {
                    legend += (1...max(n, 1)).map { ("G\($0)", Palette.localGenerator($0)) }
                    legend.append(("G0 (global)", Palette.global))
                } else {
                    legend.append(("G", Palette.global))
                }
                blocks.append(.legend(legend))
                blocks.append(.paragraph("Background: \(options.topology == .sgan ? "D0" : "D")'s probability that a point is real, from blue (0) to orange (1), with contour lines every 0.1."))
            }
            sections.append(.init("Samples", blocks))
            if snapshots.count > 1 {
                sections.append(.init("Over training", [.thumbnails(snapshots.map { (source: "samples/\($0)", caption: "iteration \(Self.iteration(of: $0))") })]))
            }
        }

        let evaluated = lines.compactMap { line in line.metrics.map { (line.iteration, $0) } }
        var metricBlocks: [HTMLReport.Block] = []
        if let finalEvaluation = try? JSONDecoder().decode(EvaluationSummary.self, from: Data(contentsOf: run.appendingPathComponent("evaluation.json"))) {
            metricBlocks.append(.paragraph("evaluation.json (gankit evaluate):"))
            metricBlocks.append(.table(finalEvaluation.rows))
        } else if let last = evaluated.last {
            metricBlocks.append(.paragraph("Latest evaluation during training (iteration \(last.0)):"))
            metricBlocks.append(.table(last.1.rows))
        }
        let metricCurves: [(String, KeyPath<EvaluationSummary, Double?>)] = [
            ("modes covered", \.modesCoveredValue), ("high-quality fraction", \.highQualityFraction), ("MMD²", \.mmd2),
            ("coverage", \.coverage), ("inception score", \.inceptionScore), ("FID (classifier)", \.fidClassifier),
            ("FID (Inception)", \.fidInception), ("Inception score (Inception)", \.inceptionScoreInception),
            ("JS-1 (unigrams)", \.js1), ("JS-4 (4-grams)", \.js4),
        ]
        let charts = metricCurves.compactMap { title, path -> String? in
            let pts = evaluated.compactMap { it, m in m[keyPath: path].map { (x: Double(it), y: $0) } }
            return pts.isEmpty ? nil : LineChart(title: title, series: [.init(name: title, points: pts, color: Palette.global)]).svg()
        }
        if !charts.isEmpty { metricBlocks.append(.charts(charts)) }
        if let generators = try? JSONDecoder().decode([EvaluationSummary].self, from: Data(contentsOf: run.appendingPathComponent("generators.json"))) {
            func f(_ v: Double?) -> String { v.map { String(format: "%.4f", $0) } ?? "–" }
            metricBlocks.append(.paragraph("Every generator at the end of training (generators.json):"))
            metricBlocks.append(.grid(header: ["generator", "modes covered", "high-quality fraction", "MMD²", "coverage"], rows: generators.map { g in
                [g.generator ?? "?", g.modesCovered.map { "\($0) of \(g.modesTotal ?? 0)" } ?? "–", f(g.highQualityFraction), f(g.mmd2), f(g.coverage)]
            }))
        }
        if options.dataset == .cifar10 || options.dataset == .folder, !lines.contains(where: { $0.metrics?.fidInception != nil }),
           !metricBlocks.contains(where: { if case .table(let rows) = $0 { rows.contains { $0.0 == "fid_inception" } } else { false } }) {
            metricBlocks.append(.paragraph("No FID or Inception score: they need the FID Inception network's weights "
                                           + "(gankit evaluate RUN --inception-weights FILE, or train with --inception-weights and --eval-every; "
                                           + "docs/fid-inception.md)."))
        }
        if !metricBlocks.isEmpty { sections.append(.init("Metrics", metricBlocks)) }

        if !lines.isEmpty { sections.append(.init("Losses", [.charts(lossCharts(lines))])) }

        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let configRows: [(String, String)] = ((try? JSONDecoder().decode([String: OptionValue].self, from: encoder.encode(options))) ?? [:])
            .sorted { $0.key < $1.key }.map { ($0.key, $0.value.description) }
        sections.append(.init("Configuration", [.table(configRows)]))
        sections.append(.init("Files", [.table([
            ("config.json", "the resolved options (gankit train --config config.json repeats the run)"),
            ("metrics.jsonl", "one JSON line per logged iteration"),
            ("events.out.tfevents.*", "TensorBoard: tensorboard --logdir \(run.path)"),
            ("checkpoints/", "resume with gankit train --resume \(run.path) --iterations N"),
            ("samples/", "snapshots over training"),
        ])]))

        let topology = options.topology == .sgan ? "SGAN, \(options.pairs ?? 0) local pairs" : (options.topology?.rawValue ?? "")
        let subtitle = [options.dataset?.rawValue, topology, options.objective?.rawValue, options.weighting.map { "weighting \($0.rawValue)" }, status]
            .compactMap { $0 }.joined(separator: " · ")
        try HTMLReport(title: "GANKit run \(run.lastPathComponent)", subtitle: subtitle, sections: sections)
            .write(to: run.appendingPathComponent("index.html"))
    }

    private func lossCharts(_ lines: [MetricsLine]) -> [String] {
        let players = Set(lines.flatMap { $0.loss.keys }).sorted()
        func color(_ player: String) -> RGB {
            if player.hasSuffix("0") || player.count == 1 { return Palette.global }
            return Palette.localGenerator(Int(player.dropFirst()) ?? 1)
        }
        var charts: [String] = []
        for (title, prefix) in [("generator losses", "G"), ("discriminator losses", "D"), ("messenger losses", "M")] {
            let series = players.filter { $0.hasPrefix(prefix) }.map { p in
                LineChart.Series(name: p, points: lines.compactMap { l in l.loss[p].map { (x: Double(l.iteration), y: Double($0)) } }, color: color(p))
            }
            if !series.isEmpty { charts.append(LineChart(title: title, series: series).svg()) }
        }
        let weighted = players.filter { p in lines.contains { $0.weightVariance?[p] != nil } }
        if !weighted.isEmpty {
            charts.append(LineChart(title: "weight variance", series: weighted.map { p in
                LineChart.Series(name: p, points: lines.compactMap { l in l.weightVariance?[p].map { (x: Double(l.iteration), y: Double($0)) } }, color: color(p))
            }).svg())
        }
        return charts
    }

    static func iteration(of snapshot: String) -> Int {
        Int(snapshot.dropFirst("iteration-".count).prefix { $0.isNumber }) ?? 0
    }
}

extension EvaluationSummary {
    var modesCoveredValue: Double? { modesCovered.map(Double.init) }
}

/// One value of config.json as the report prints it (booleans as true/false, not 1/0).
private enum OptionValue: Decodable, CustomStringConvertible {
    case bool(Bool), integer(Int), number(Double), text(String)

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int.self) { self = .integer(i) }
        else if let d = try? c.decode(Double.self) { self = .number(d) }
        else { self = .text(try c.decode(String.self)) }
    }

    var description: String {
        switch self {
        case .bool(let b): "\(b)"
        case .integer(let i): "\(i)"
        case .number(let d): "\(d)"
        case .text(let s): s
        }
    }
}
