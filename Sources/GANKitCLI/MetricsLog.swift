import Foundation
import GANKitTraining

/// One line of metrics.jsonl: a logged iteration's losses per player, WeGAN weight variance,
/// gradient penalties, metrics when evaluated, and wall time.
public struct MetricsLine: Codable, Sendable {
    public var iteration: Int
    /// Seconds since 1970 when the line was written.
    public var wallTime: Double
    /// Seconds the iteration took.
    public var seconds: Double
    public var loss: [String: Float]
    public var penalty: [String: Float]?
    public var weightVariance: [String: Float]?
    /// Generators' gradient norms (`PlayerStatistics.gradientNorm`).
    public var gradientNorm: [String: Float]?
    public var metrics: EvaluationSummary?
    /// With `--eval-generators all`: every local generator's metrics, and their ensemble's coverage.
    public var generators: [String: EvaluationSummary]?
    public var ensemble: EnsembleSummary?

    enum CodingKeys: String, CodingKey {
        case iteration, wallTime = "wall_time", seconds, loss, penalty, weightVariance = "weight_variance", gradientNorm = "gradient_norm"
        case metrics, generators, ensemble
    }

    init(_ report: IterationReport, metrics: EvaluationSummary?, generators: [String: EvaluationSummary]? = nil, ensemble: EnsembleSummary? = nil) {
        iteration = report.iteration
        wallTime = Date().timeIntervalSince1970
        seconds = report.seconds
        loss = Dictionary(uniqueKeysWithValues: report.players.map { ($0.player, $0.loss) })
        let p = report.players.compactMap { s in s.penalty.map { (s.player, $0) } }
        penalty = p.isEmpty ? nil : Dictionary(uniqueKeysWithValues: p)
        let w = report.players.compactMap { s in s.weightVariance.map { (s.player, $0) } }
        weightVariance = w.isEmpty ? nil : Dictionary(uniqueKeysWithValues: w)
        let norms = report.players.compactMap { s in s.gradientNorm.map { (s.player, $0) } }
        gradientNorm = norms.isEmpty ? nil : Dictionary(uniqueKeysWithValues: norms)
        self.metrics = metrics
        self.generators = generators
        self.ensemble = ensemble
    }
}

/// Appends to a run's metrics.jsonl. On resume, lines past the checkpoint (written before a
/// crash) are dropped first, so the log matches the run that continues.
final class MetricsLog {
    let url: URL
    private let handle: FileHandle

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return e
    }()

    static let decoder: JSONDecoder = {
        let d = JSONDecoder()
        d.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return d
    }()

    init(url: URL, keepingThrough iteration: Int?) throws {
        self.url = url
        if let iteration, FileManager.default.fileExists(atPath: url.path) {
            let kept = Self.read(url).filter { $0.iteration <= iteration }
            var data = Data()
            for line in kept { data += try Self.encoder.encode(line) + Data("\n".utf8) }
            try data.write(to: url, options: .atomic)
        } else if !FileManager.default.fileExists(atPath: url.path) {
            guard FileManager.default.createFile(atPath: url.path, contents: nil) else { throw CLIError.failure("cannot create \(url.path)") }
        }
        handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
    }

    deinit { try? handle.close() }

    func append(_ line: MetricsLine) throws {
        try handle.write(contentsOf: Self.encoder.encode(line) + Data("\n".utf8))
    }

    /// Every readable line of a metrics file (a torn last line is skipped).
    static func read(_ url: URL) -> [MetricsLine] {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { try? decoder.decode(MetricsLine.self, from: Data($0.utf8)) }
    }
}
