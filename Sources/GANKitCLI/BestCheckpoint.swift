import Foundation
import GANKitTraining

/// `--best-metric`: the evaluation metric by which a run keeps its best checkpoint, with the
/// direction that counts as better. The default follows the data: the strict metric each kind of
/// data is judged by in the reproduction pages.
public enum BestMetricName: String, Codable, CaseIterable, Sendable {
    case mmd2Narrow = "mmd2_sigma_0.1", modesCoveredStrict = "modes_covered_strict", fidClassifier = "fid_classifier"
    case inceptionScore = "inception_score", fidInception = "fid_inception", inceptionScoreInception = "inception_score_inception"
    case js4 = "js_4"

    var higherIsBetter: Bool { self == .modesCoveredStrict || self == .inceptionScore || self == .inceptionScoreInception }

    func value(in summary: EvaluationSummary) -> Double? {
        switch self {
        case .mmd2Narrow: summary.mmd2Narrow
        case .modesCoveredStrict: summary.modesCoveredStrict.map(Double.init)
        case .fidClassifier: summary.fidClassifier
        case .inceptionScore: summary.inceptionScore
        case .fidInception: summary.fidInception
        case .inceptionScoreInception: summary.inceptionScoreInception
        case .js4: summary.js4
        }
    }

    /// The metric a data set's runs are judged by.
    static func defaultFor(_ dataset: DatasetName) -> BestMetricName {
        dataset.isToy ? .mmd2Narrow : dataset.isIDX ? .fidClassifier : dataset.isText ? .js4 : .fidInception
    }
}

/// `RUN/best/`: the checkpoint of the iteration that scored best so far by `metric`, as a run
/// directory of its own (config.json, checkpoints/, best.json), so that `gankit sample`,
/// `evaluate` and `export` take `RUN/best` as they take `RUN`. A resumed run continues from the
/// recorded score; since training is deterministic, re-evaluated iterations score as before and
/// the kept checkpoint ends the same as in an uninterrupted run.
struct BestCheckpoint {
    let metric: BestMetricName
    let directory: URL
    private(set) var record: Record?

    struct Record: Codable, Equatable {
        var metric: String
        var value: Double
        var iteration: Int
        var better: String
    }

    init(run: URL, metric: BestMetricName) {
        self.metric = metric
        directory = run.appendingPathComponent("best")
        record = try? JSONDecoder().decode(Record.self, from: Data(contentsOf: directory.appendingPathComponent("best.json")))
        if record?.metric != metric.rawValue { record = nil }
    }

    /// Keeps `checkpoint` if `summary` scores strictly better than the best so far.
    mutating func consider(_ summary: EvaluationSummary, checkpoint: () -> TrainerCheckpoint, config: URL) throws(CLIError) -> Bool {
        guard let value = metric.value(in: summary), value.isFinite, let iteration = summary.iteration else { return false }
        if let best = record, !(metric.higherIsBetter ? value > best.value : value < best.value) { return false }
        let next = Record(metric: metric.rawValue, value: value, iteration: iteration, better: metric.higherIsBetter ? "higher" : "lower")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            // Tensors and manifest first, then the copy of config.json, then best.json: a crash
            // in between leaves a readable checkpoint and at worst the previous score.
            try CheckpointStore(run: directory).write(checkpoint())
            let configCopy = directory.appendingPathComponent("config.json")
            try Data(contentsOf: config).write(to: configCopy, options: .atomic)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(next).write(to: directory.appendingPathComponent("best.json"), options: .atomic)
        } catch let error as CLIError {
            throw error
        } catch {
            throw .failure("cannot write the best checkpoint in \(directory.path): \(error)")
        }
        record = next
        return true
    }
}
