import Foundation
import Yams

/// An experiment as its file declares it (`experiments/NAME.yaml`): the base options of
/// `gankit train`, named variants that override them, axes crossed with the variants, the seeds,
/// the scales, and what the report tabulates, plots and checks.
///
/// The checks are the claim's test, written before any run: the report's verdict comes from them
/// alone, so nobody picks the metric or the iteration after seeing which favours a method.
public struct ExperimentFile: Sendable {
    /// A variant: a name, the options it overrides, and an optional position on a plot's x axis.
    public struct Variant: Sendable, Equatable {
        public var name: String
        public var options: TrainOptions
        public var x: Double?
        public var line: Int
    }

    /// An option crossed with every variant (for example `dataset: [ring8, grid25, swissroll]`).
    public struct Axis: Sendable, Equatable {
        public var key: String
        public var values: [TrainOptions]
        public var labels: [String]
    }

    /// Overrides that turn the base into a smaller (`smoke`) or the paper's (`full`) setting.
    public struct Scale: Sendable, Equatable {
        public var options: TrainOptions
        public var seeds: Int?
        public var note: String?
    }

    /// Where a check or a table reads a metric: at one iteration, or averaged over a range.
    public enum When: Sendable, Equatable, CustomStringConvertible {
        case at(Int)
        case over(Int, Int)

        public var description: String {
            switch self {
            case .at(let i): "iteration \(i)"
            case let .over(a, b): "the mean over iterations \(a)–\(b)"
            }
        }
    }

    /// One pre-declared test of the claim.
    public struct Check: Sendable, Equatable {
        public var claim: String
        public var metric: String
        public var when: When
        public var higherIsBetter: Bool
        /// Set for a claim of no difference (`better: similar`): the largest difference that
        /// still counts as the same.
        public var tolerance: Double?
        public var method: String
        public var baseline: String?
        public var baselineMetric: String?
        /// A fixed bar to clear instead of a baseline cell.
        public var value: Double?
    }

    /// A figure: curves against iteration, or values against the variants' `x`.
    public struct Figure: Sendable, Equatable {
        public enum Kind: String, Sendable { case curves, versus }
        public var kind: Kind
        public var metrics: [String]
        public var title: String?
        public var logY: Bool
        /// Curves of (baseline − cell) / baseline, as WeGAN's relative improvement.
        public var relativeTo: String?
        public var when: When?
        public var xLabel: String?
        /// The variants drawn (all when empty): one wild variant can flatten the others.
        public var variants: [String]
    }

    public var path: String
    public var name: String
    public var title: String
    public var paper: String
    public var claim: String
    public var settings: String?
    public var discussion: String?
    public var base: TrainOptions
    public var variants: [Variant]
    public var axes: [Axis]
    public var seeds: Int
    public var scales: [String: Scale]
    public var tableIterations: [Int]
    public var tableMetrics: [String]
    public var figures: [Figure]
    public var panels: [Int]
    public var checks: [Check]
    /// The file's bytes, recorded with every sweep.
    public var text: String

    /// The parts that decide a sweep's runs and verdict (base options, variants, axes, scales,
    /// checks) in which `other` differs, named as error messages name them. A variant's line
    /// and plot position and a scale's note are presentation: editing them, or moving lines by
    /// editing prose, changes no run.
    public func runDifferences(from other: ExperimentFile) -> [String] {
        let sameVariants = variants.elementsEqual(other.variants) { $0.name == $1.name && $0.options == $1.options }
        let sameScales = Set(scales.keys) == Set(other.scales.keys) && scales.allSatisfy { name, scale in
            other.scales[name].map { $0.options == scale.options && $0.seeds == scale.seeds } ?? false
        }
        return [("base options", base == other.base), ("variants", sameVariants), ("axes", axes == other.axes),
                ("scales", sameScales), ("checks", checks == other.checks)].filter { !$0.1 }.map(\.0)
    }
}

/// A fault in an experiment file: the file, the line and the key, as a person would look for it.
struct ExperimentFileError: Error {
    var message: String
}

extension ExperimentFile {
    static let topKeys = ["title", "paper", "claim", "settings", "discussion", "base", "variants", "axes", "seeds", "scales",
                          "table", "figures", "panels", "checks"]

    /// Reads and checks `path`; every error names the file, the line and the key.
    public static func load(_ path: String) throws(CLIError) -> ExperimentFile {
        let url = URL(fileURLWithPath: path)
        guard let data = FileManager.default.contents(atPath: url.path) else { throw .badInput("no such experiment file: \(path)") }
        guard let text = String(data: data, encoding: .utf8) else { throw .badInput("\(path): not UTF-8 text") }
        do {
            return try parse(text, path: path, name: url.deletingPathExtension().lastPathComponent)
        } catch let e as ExperimentFileError {
            throw .badInput(e.message)
        } catch {
            throw .badInput("\(path): \(error)")
        }
    }

    /// A mapping node without `key`.
    private static func without(_ key: String, in mapping: Node.Mapping) -> Node {
        .mapping(Node.Mapping(mapping.filter { $0.key.string != key }.map { ($0.key, $0.value) }, mapping.tag, mapping.style, mapping.mark))
    }

    static func parse(_ text: String, path: String, name: String) throws -> ExperimentFile {
        func fail(_ node: Node?, _ key: String, _ message: String) -> ExperimentFileError {
            let line = node?.mark.map { ":\($0.line)" } ?? ""
            return ExperimentFileError(message: "\(path)\(line): '\(key)': \(message)")
        }
        // The config file's guard against alias bombs (an alias used as a key hangs Yams).
        guard ConfigFile.aliasCount(text) <= ConfigFile.maximumAliases else {
            throw ExperimentFileError(message: "\(path): uses more than \(ConfigFile.maximumAliases) YAML aliases (*name)")
        }
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch { throw ExperimentFileError(message: "\(path): not valid YAML: \(error)") }
        guard let root, case .mapping(let top) = root else {
            throw ExperimentFileError(message: "\(path): an experiment file is a mapping (title:, base:, variants:, …)")
        }
        var fields: [String: Node] = [:]
        for (k, v) in top {
            guard let key = k.string else { throw fail(k, "?", "keys are names") }
            guard topKeys.contains(key) else { throw fail(k, key, "unknown key; allowed: \(topKeys.joined(separator: ", "))") }
            fields[key] = v
        }
        func string(_ key: String, required: Bool = false) throws -> String? {
            guard let node = fields[key] else {
                if required { throw ExperimentFileError(message: "\(path): '\(key)' is missing") }
                return nil
            }
            guard case .scalar(let s) = node else { throw fail(node, key, "must be text") }
            return s.string
        }
        func options(_ node: Node, _ key: String) throws -> TrainOptions {
            guard case .mapping(let m) = node else { throw fail(node, key, "must be a mapping of train options (like `iterations: 500`)") }
            for (k, v) in m {
                let name = k.string ?? "?"
                guard TrainOptions.keys.contains(name) else {
                    throw fail(k, "\(key).\(name)", "unknown train option; allowed: \(TrainOptions.keys.joined(separator: ", "))")
                }
                if ["out", "resume", "config"].contains(name) {
                    throw fail(k, "\(key).\(name)", "the experiment runner places every run itself")
                }
                if case .scalar(let s) = v, let f = Double(s.string), !f.isFinite || s.string.lowercased().contains("nan") {
                    throw fail(v, "\(key).\(name)", "must be a finite number (got \(s.string))")
                }
                if case .scalar(let s) = v, [".nan", ".inf", "-.inf", ".NaN", ".Inf"].contains(s.string) {
                    throw fail(v, "\(key).\(name)", "must be a finite number (got \(s.string))")
                }
            }
            do {
                // Paths in an experiment file are relative to the file, so it runs from any directory.
                var decoded = try YAMLDecoder().decode(TrainOptions.self, from: node)
                let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
                func resolve(_ p: String?) -> String? {
                    p.map { $0.hasPrefix("/") ? $0 : folder.appendingPathComponent($0).standardizedFileURL.path }
                }
                decoded.dataDir = resolve(decoded.dataDir)
                decoded.initFrom = resolve(decoded.initFrom)
                decoded.inceptionWeights = resolve(decoded.inceptionWeights)
                return decoded
            } catch let error as DecodingError {
                let context: DecodingError.Context? = switch error {
                case let .typeMismatch(_, c), let .valueNotFound(_, c), let .dataCorrupted(c): c
                default: nil
                }
                let bad = context?.codingPath.first?.stringValue ?? "?"
                let at = m.first { $0.key.string == bad }
                let shown = at.flatMap { pair -> String? in if case .scalar(let s) = pair.value { s.string } else { nil } } ?? ""
                throw fail(at?.value ?? node, "\(key).\(bad)", "bad value '\(shown)'\(context.map { ": \($0.debugDescription)" } ?? "")")
            }
        }
        func int(_ node: Node, _ key: String, minimum: Int = 0) throws -> Int {
            guard let v = node.int, v >= minimum else { throw fail(node, key, "must be a whole number ≥ \(minimum)") }
            return v
        }
        func when(_ node: Node, _ key: String, at: Node?, over: Node?) throws -> When? {
            if let at, over != nil { throw fail(at, key, "give either 'at' or 'over', not both") }
            if let at { return .at(try int(at, "\(key).at", minimum: 1)) }
            if let over {
                let ends = over.array()
                guard ends.count == 2 else { throw fail(over, "\(key).over", "must be [first, last]") }
                let a = try int(ends[0], "\(key).over", minimum: 1), b = try int(ends[1], "\(key).over", minimum: 1)
                guard a <= b else { throw fail(over, "\(key).over", "first must not exceed last") }
                return .over(a, b)
            }
            return nil
        }
        func mapping(_ node: Node, _ key: String, allowed: [String]) throws -> [String: Node] {
            guard case .mapping(let m) = node else { throw fail(node, key, "must be a mapping") }
            var out: [String: Node] = [:]
            for (k, v) in m {
                let name = k.string ?? "?"
                guard allowed.contains(name) else { throw fail(k, "\(key).\(name)", "unknown key; allowed: \(allowed.joined(separator: ", "))") }
                out[name] = v
            }
            return out
        }

        guard let baseNode = fields["base"] else { throw ExperimentFileError(message: "\(path): 'base' is missing") }
        let base = try options(baseNode, "base")

        var variants: [Variant] = []
        if let node = fields["variants"] {
            guard case .mapping(let m) = node else { throw fail(node, "variants", "must map variant names to their options") }
            for (k, v) in m {
                let vname = k.string ?? ""
                guard !vname.isEmpty, !vname.contains("/") else { throw fail(k, "variants", "a variant needs a name without '/'") }
                var opts = v
                var x: Double?
                if case .mapping(let vm) = v, let xn = vm.first(where: { $0.key.string == "x" })?.value {
                    guard let xv = xn.float, xv.isFinite else { throw fail(xn, "variants.\(vname).x", "must be a number") }
                    x = xv
                    opts = Self.without("x", in: vm)
                }
                if case .scalar(let s) = v, s.string.isEmpty || s.string == "~" || s.string == "null" { opts = .mapping([:]) }
                variants.append(Variant(name: vname, options: try options(opts, "variants.\(vname)"), x: x, line: k.mark?.line ?? 0))
            }
        }
        if variants.isEmpty { variants = [Variant(name: "base", options: TrainOptions(), x: nil, line: 0)] }
        guard Set(variants.map(\.name)).count == variants.count else { throw fail(fields["variants"], "variants", "names must differ") }

        var axes: [Axis] = []
        if let node = fields["axes"] {
            guard case .mapping(let m) = node else { throw fail(node, "axes", "must map a train option to a list of values") }
            for (k, v) in m {
                let key = k.string ?? "?"
                guard TrainOptions.keys.contains(key) else { throw fail(k, "axes.\(key)", "unknown train option") }
                let values = v.array()
                guard !values.isEmpty else { throw fail(v, "axes.\(key)", "must be a non-empty list") }
                var axis = Axis(key: key, values: [], labels: [])
                for value in values {
                    axis.values.append(try options(.mapping(Node.Mapping([(k, value)])), "axes"))
                    axis.labels.append(value.string ?? "\(value.any)")
                }
                axes.append(axis)
            }
        }

        var seeds = 5
        if let node = fields["seeds"] { seeds = try int(node, "seeds", minimum: 1) }

        var scales: [String: Scale] = [:]
        if let node = fields["scales"] {
            guard case .mapping(let m) = node else { throw fail(node, "scales", "must map scale names (smoke, full) to options") }
            for (k, v) in m {
                let sname = k.string ?? "?"
                guard ["smoke", "full"].contains(sname) else { throw fail(k, "scales.\(sname)", "scales are smoke and full") }
                guard case .mapping(let sm) = v else { throw fail(v, "scales.\(sname)", "must be a mapping") }
                var scale = Scale(options: TrainOptions())
                if let n = sm.first(where: { $0.key.string == "seeds" })?.value { scale.seeds = try int(n, "scales.\(sname).seeds", minimum: 1) }
                scale.note = sm.first(where: { $0.key.string == "note" })?.value.string
                guard case .mapping(let rest) = Self.without("seeds", in: sm) else { continue }
                scale.options = try options(Self.without("note", in: rest), "scales.\(sname)")
                scales[sname] = scale
            }
        }

        var tableIterations: [Int] = [], tableMetrics: [String] = []
        if let node = fields["table"] {
            let t = try mapping(node, "table", allowed: ["iterations", "metrics"])
            tableIterations = try (t["iterations"]?.array() ?? []).map { try int($0, "table.iterations", minimum: 1) }
            tableMetrics = (t["metrics"]?.array() ?? []).compactMap(\.string)
        }

        var figures: [Figure] = []
        if let node = fields["figures"] {
            for f in node.array() {
                let m = try mapping(f, "figures", allowed: ["metric", "metrics", "kind", "title", "log", "relative-to", "at", "over", "x-label", "variants"])
                let metrics = m["metrics"].map { $0.array().compactMap(\.string) } ?? m["metric"].flatMap(\.string).map { [$0] } ?? []
                guard !metrics.isEmpty else { throw fail(f, "figures", "a figure needs 'metric' or 'metrics'") }
                guard let kind = Figure.Kind(rawValue: m["kind"]?.string ?? "curves") else { throw fail(m["kind"], "figures.kind", "curves or versus") }
                let w = try when(f, "figures", at: m["at"], over: m["over"])
                if kind == .versus, w == nil { throw fail(f, "figures", "a 'versus' figure needs 'at' or 'over'") }
                if kind == .versus, variants.contains(where: { $0.x == nil }) { throw fail(f, "figures", "a 'versus' figure needs an 'x' in every variant") }
                if let r = m["relative-to"]?.string, !variants.contains(where: { $0.name == r }) {
                    throw fail(m["relative-to"], "figures.relative-to", "no variant named '\(r)'")
                }
                let shown = m["variants"]?.array().compactMap(\.string) ?? []
                if let unknown = shown.first(where: { name in !variants.contains { $0.name == name } }) {
                    throw fail(m["variants"], "figures.variants", "no variant named '\(unknown)'")
                }
                figures.append(Figure(kind: kind, metrics: metrics, title: m["title"]?.string, logY: m["log"]?.bool ?? false,
                                      relativeTo: m["relative-to"]?.string, when: w, xLabel: m["x-label"]?.string, variants: shown))
            }
        }

        let panels = try (fields["panels"]?.array() ?? []).map { try int($0, "panels", minimum: 1) }

        var checks: [Check] = []
        if let node = fields["checks"] {
            for c in node.array() {
                let m = try mapping(c, "checks", allowed: ["claim", "metric", "at", "over", "better", "tolerance", "method", "baseline", "baseline-metric", "value"])
                guard let claim = m["claim"]?.string, let metric = m["metric"]?.string, let method = m["method"]?.string else {
                    throw fail(c, "checks", "a check needs 'claim', 'metric' and 'method'")
                }
                guard let w = try when(c, "checks", at: m["at"], over: m["over"]) else { throw fail(c, "checks", "a check needs 'at' or 'over'") }
                guard let better = m["better"]?.string, ["higher", "lower", "similar"].contains(better) else {
                    throw fail(m["better"] ?? c, "checks.better", "must be higher, lower or similar")
                }
                let tolerance = m["tolerance"]?.float
                if better == "similar" {
                    guard let tolerance, tolerance > 0, tolerance.isFinite else { throw fail(m["tolerance"] ?? c, "checks.tolerance", "'better: similar' needs a tolerance > 0") }
                    if m["value"] != nil { throw fail(c, "checks", "'better: similar' compares with a baseline, not a value") }
                } else if m["tolerance"] != nil {
                    throw fail(m["tolerance"], "checks.tolerance", "applies only with 'better: similar'")
                }
                for (key, v) in [("method", method), ("baseline", m["baseline"]?.string)] {
                    if let v, !variants.contains(where: { $0.name == v }) { throw fail(m[key], "checks.\(key)", "no variant named '\(v)'") }
                }
                let value = m["value"]?.float
                if m["value"] != nil, value == nil || !value!.isFinite { throw fail(m["value"], "checks.value", "must be a finite number") }
                if value != nil, m["baseline"] != nil || m["baseline-metric"] != nil {
                    throw fail(c, "checks", "compare with a 'value' or with a baseline, not both")
                }
                if value == nil, m["baseline"] == nil, m["baseline-metric"] == nil {
                    throw fail(c, "checks", "a check needs 'baseline', 'baseline-metric' or 'value'")
                }
                checks.append(Check(claim: claim, metric: metric, when: w, higherIsBetter: better == "higher",
                                    tolerance: better == "similar" ? tolerance : nil, method: method,
                                    baseline: m["baseline"]?.string, baselineMetric: m["baseline-metric"]?.string, value: value))
            }
        }

        return ExperimentFile(
            path: path, name: name, title: try string("title", required: true)!, paper: try string("paper", required: true)!,
            claim: try string("claim", required: true)!, settings: try string("settings"), discussion: try string("discussion"),
            base: base, variants: variants, axes: axes, seeds: seeds, scales: scales, tableIterations: tableIterations,
            tableMetrics: tableMetrics, figures: figures, panels: panels, checks: checks, text: text)
    }
}
