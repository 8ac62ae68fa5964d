import GANKitEvaluation

/// The metrics of one evaluation as `gankit evaluate --json`, `evaluation.json` and the
/// `metrics` of metrics.jsonl spell them (snake_case). Toy data fills the first group, images
/// the second.
public struct EvaluationSummary: Codable, Equatable, Sendable {
    public var iteration: Int?
    public var generator: String?
    public var samples: Int
    public var modesCovered: Int?
    public var modesTotal: Int?
    public var modeThreshold: Int?
    public var modesCoveredStrict: Int?
    public var strictModeThreshold: Int?
    /// High-quality samples per mode (how an ensemble's coverage is combined).
    public var modeCounts: [Int]?
    public var highQualityFraction: Double?
    public var klToUniform: Double?
    public var mmd2: Double?
    public var mmdBandwidth: Double?
    public var mmd2Narrow: Double?
    public var mmd2Medium: Double?
    public var kdeLogLikelihood: Double?
    public var kdeBandwidth: Double?
    public var coverage: Double?
    public var logLikelihoodUnderTrueMixture: Double?
    /// Where the samples head on their way to the data (`ToyEvaluation`): their entropy over the
    /// modes' basins (0–1), their mean distance to the nearest mode and their own spread.
    public var basinEntropy: Double?
    public var meanModeDistance: Double?
    public var sampleSpread: Double?
    public var inceptionScore: Double?
    public var fidClassifier: Double?
    public var classEntropy: Double?
    public var totalVariation: Double?
    public var classifierAccuracy: Double?
    /// FID and the Inception score on the FID Inception network (`--inception-weights`), with
    /// the generated and real image counts behind them: compare only scores of equal counts.
    public var fidInception: Double?
    public var inceptionScoreInception: Double?
    public var inceptionScoreInceptionStd: Double?
    public var inceptionSamples: Int?
    public var inceptionRealSamples: Int?
    /// What could not be scored, and why (an image run without Inception weights).
    public var missing: String?
    /// Text: JS-1 … JS-4 (bits) between generated and held-out n-grams, and sample sentences.
    public var js1: Double?
    public var js2: Double?
    public var js3: Double?
    public var js4: Double?
    public var dominantSymbolFraction: Double?
    public var distinctSymbols: Int?
    public var snippets: [String]?

    enum CodingKeys: String, CodingKey {
        case iteration, generator, samples, modesCovered = "modes_covered", modesTotal = "modes_total", modeThreshold = "mode_threshold"
        case modesCoveredStrict = "modes_covered_strict", strictModeThreshold = "strict_mode_threshold", modeCounts = "mode_counts"
        case mmd2Narrow = "mmd2_sigma_0.1", mmd2Medium = "mmd2_sigma_0.5", kdeLogLikelihood = "kde_log_likelihood", kdeBandwidth = "kde_bandwidth"
        case highQualityFraction = "high_quality_fraction", klToUniform = "kl_to_uniform", mmd2, mmdBandwidth = "mmd_bandwidth", coverage
        case logLikelihoodUnderTrueMixture = "log_likelihood_under_true_mixture", inceptionScore = "inception_score"
        case basinEntropy = "basin_entropy", meanModeDistance = "mean_mode_distance", sampleSpread = "sample_spread"
        case fidClassifier = "fid_classifier", classEntropy = "class_entropy", totalVariation = "total_variation"
        case classifierAccuracy = "classifier_accuracy"
        case fidInception = "fid_inception", inceptionScoreInception = "inception_score_inception"
        case inceptionScoreInceptionStd = "inception_score_inception_std", inceptionSamples = "inception_samples"
        case inceptionRealSamples = "inception_real_samples", missing
        case js1 = "js_1", js2 = "js_2", js3 = "js_3", js4 = "js_4", snippets
        case dominantSymbolFraction = "dominant_symbol_fraction", distinctSymbols = "distinct_symbols"
    }

    init(_ toy: ToyEvaluation) {
        samples = toy.samples
        modesCovered = toy.modesCovered
        modesTotal = toy.modesTotal
        modeThreshold = toy.modeThreshold
        modesCoveredStrict = toy.modesCoveredStrict
        strictModeThreshold = toy.strictModeThreshold
        modeCounts = toy.modeCoverage?.highQualityCounts
        mmd2Narrow = toy.mmd2Narrow
        mmd2Medium = toy.mmd2Medium
        kdeLogLikelihood = toy.kdeLogLikelihood
        kdeBandwidth = toy.kdeBandwidth
        highQualityFraction = toy.highQualityFraction
        klToUniform = toy.klToUniform
        mmd2 = toy.mmd2
        mmdBandwidth = toy.mmdBandwidth
        coverage = toy.coverage
        logLikelihoodUnderTrueMixture = toy.logLikelihoodUnderTrueMixture
        basinEntropy = toy.basinEntropy
        meanModeDistance = toy.meanModeDistance
        sampleSpread = toy.sampleSpread
    }

    init(_ image: ImageEvaluation) {
        samples = image.samples
        inceptionScore = image.inceptionScore
        fidClassifier = image.fidClassifier
        classEntropy = image.classEntropy
        totalVariation = image.totalVariation
        classifierAccuracy = image.classifierAccuracy
    }

    init(_ inception: InceptionEvaluation) {
        samples = inception.samples
        add(inception)
    }

    /// Only `samples` and why nothing else could be scored.
    init(samples: Int, missing: String) {
        self.samples = samples
        self.missing = missing
    }

    /// Adds the Inception network's scores to these.
    mutating func add(_ inception: InceptionEvaluation) {
        fidInception = inception.fid
        inceptionScoreInception = inception.inceptionScore
        inceptionScoreInceptionStd = inception.inceptionScoreStandardDeviation
        inceptionSamples = inception.samples
        inceptionRealSamples = inception.realSamples
    }

    init(_ text: TextEvaluation) {
        samples = text.samples
        let js = text.jensenShannon.map(Optional.some) + [Double?](repeating: nil, count: max(0, 4 - text.jensenShannon.count))
        (js1, js2, js3, js4) = (js[0], js[1], js[2], js[3])
        snippets = text.snippets
        dominantSymbolFraction = text.dominantSymbolFraction
        distinctSymbols = text.distinctSymbols
    }

    /// Name and formatted value of every metric present, for tables and progress lines.
    var rows: [(String, String)] {
        func f(_ v: Double?) -> String? { v.map { abs($0) < 1e-3 && $0 != 0 ? String(format: "%.3e", $0) : String(format: "%.4f", $0) } }
        let all: [(String, String?)] = [
            ("generator", generator), ("iteration", iteration.map(String.init)), ("samples", String(samples)),
            ("modes_covered", modesCovered.map { "\($0)" + (modesTotal.map { " of \($0)" } ?? "") + (modeThreshold.map { " (≥ \($0) samples)" } ?? "") }),
            ("modes_covered_strict", modesCoveredStrict.map { "\($0)" + (modesTotal.map { " of \($0)" } ?? "") + (strictModeThreshold.map { " (≥ \($0) samples)" } ?? "") }),
            ("high_quality_fraction", f(highQualityFraction)), ("kl_to_uniform", f(klToUniform)), ("mmd2", f(mmd2)),
            ("mmd_bandwidth", f(mmdBandwidth)), ("mmd2_sigma_0.1", f(mmd2Narrow)), ("mmd2_sigma_0.5", f(mmd2Medium)),
            ("kde_log_likelihood", f(kdeLogLikelihood)), ("kde_bandwidth", f(kdeBandwidth)), ("coverage", f(coverage)), ("log_likelihood_under_true_mixture", f(logLikelihoodUnderTrueMixture)),
            ("basin_entropy", f(basinEntropy)), ("mean_mode_distance", f(meanModeDistance)), ("sample_spread", f(sampleSpread)),
            ("inception_score", f(inceptionScore)), ("fid_classifier", f(fidClassifier)), ("class_entropy", f(classEntropy)),
            ("total_variation", f(totalVariation)), ("classifier_accuracy", f(classifierAccuracy)),
            ("fid_inception", fidInception.map { String(format: "%.3f", $0) + (inceptionSamples.map { " (\($0) generated" } ?? "")
                + (inceptionRealSamples.map { ", \($0) real images)" } ?? "") }),
            ("inception_score_inception", inceptionScoreInception.map { String(format: "%.3f", $0) + (inceptionScoreInceptionStd.map { String(format: " ± %.3f", $0) } ?? "") }),
            ("missing", missing),
            ("js_1", f(js1)), ("js_2", f(js2)), ("js_3", f(js3)), ("js_4", f(js4)),
            ("dominant_symbol_fraction", f(dominantSymbolFraction)), ("distinct_symbols", distinctSymbols.map(String.init)),
            ("samples_text", snippets.map { $0.prefix(3).map { "“\($0)”" }.joined(separator: " ") }),
        ]
        return all.compactMap { name, value in value.map { (name, $0) } }
    }

    /// The one number a progress line shows.
    var headline: String? {
        if let c = modesCoveredStrict, let t = modesTotal { return "modes \(c)/\(t)" }
        if let m = mmd2 { return String(format: "mmd² %.4f", m) }
        if let f = fidInception { return String(format: "FID %.2f", f) }
        if let s = inceptionScore { return String(format: "IS %.2f", s) }
        if let j = js4 { return String(format: "JS-4 %.3f", j) }
        return nil
    }
}
