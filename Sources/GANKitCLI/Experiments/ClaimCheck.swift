import GANKitMetrics

/// The outcome of one pre-declared check, and the verdict the checks give together.
///
/// A check **holds** when the method's 95% interval lies wholly on the claimed side of the
/// baseline's (no overlap), or, for a comparison of two metrics of the same runs, when the
/// interval of the per-seed differences excludes zero on that side; against a fixed value, when
/// the method's interval clears it. It is **contradicted** when the same holds the other way
/// round, and **inconclusive** otherwise. A claim of no difference (`better: similar`) holds when
/// the difference of the means, with its interval, stays within the declared tolerance. Non-overlapping intervals are a stricter test than a
/// t-test at 5%: a claim that passes it does not depend on the choice of test.
struct ClaimCheck {
    enum Outcome: String, Codable { case holds, inconclusive, contradicted }

    var check: ExperimentFile.Check
    /// The axis values the check was evaluated at ("" without axes).
    var context: String
    var method: ConfidenceInterval?
    var baseline: ConfidenceInterval?
    var difference: ConfidenceInterval?
    var outcome: Outcome
    var reason: String

    init(_ check: ExperimentFile.Check, context: String, results: ExperimentResults) {
        self.check = check
        self.context = context
        let suffix = context.isEmpty ? "" : " / " + context
        let methodCell = check.method + suffix, baselineCell = (check.baseline ?? check.method) + suffix
        let methodRuns = results.runs(of: methodCell)
        let methodValues = methodRuns.map { $0.value(check.metric, check.when) }
        method = ConfidenceInterval(methodValues.compactMap { $0 })
        let sign: Double = check.higherIsBetter ? 1 : -1
        let word = check.higherIsBetter ? "higher" : "lower"
        func show(_ c: ConfidenceInterval?) -> String {
            guard let c else { return "no value" }
            return c.halfWidth.map { String(format: "%.4g ± %.2g", c.mean, $0) } ?? String(format: "%.4g (one seed)", c.mean)
        }
        if let value = check.value {
            baseline = nil
            difference = nil
            guard let m = method, let lo = m.lower, let hi = m.upper else {
                outcome = .inconclusive
                reason = "fewer than two seeds with a value (\(show(method)))"
                return
            }
            let clears = check.higherIsBetter ? lo >= value : hi <= value
            let fails = check.higherIsBetter ? hi < value : lo > value
            outcome = clears ? .holds : fails ? .contradicted : .inconclusive
            reason = "\(check.metric) of \(methodCell) is \(show(m)); the claim needs it \(check.higherIsBetter ? "≥" : "≤") \(value)"
            return
        }
        let baselineMetric = check.baselineMetric ?? check.metric
        let baselineRuns = results.runs(of: baselineCell)
        let baselineValues = baselineRuns.map { $0.value(baselineMetric, check.when) }
        baseline = ConfidenceInterval(baselineValues.compactMap { $0 })
        let what = "\(check.metric) of \(methodCell) (\(show(method))) against \(baselineMetric) of \(baselineCell) (\(show(baseline)))"
        if methodCell == baselineCell {
            // The same runs: compare seed by seed.
            let diffs = zip(methodValues, baselineValues).compactMap { a, b in a.flatMap { a in b.map { sign * (a - $0) } } }
            difference = ConfidenceInterval(diffs)
            if let d = difference, let lo = d.lower, let hi = d.upper, let tolerance = check.tolerance {
                outcome = max(abs(lo), abs(hi)) <= tolerance ? .holds : (lo > tolerance || hi < -tolerance) ? .contradicted : .inconclusive
                reason = what + String(format: "; per-seed difference %.4g ± %.2g against a tolerance of ±%g", d.mean, d.halfWidth!, tolerance)
            } else if let d = difference, let lo = d.lower, let hi = d.upper {
                outcome = lo > 0 ? .holds : hi < 0 ? .contradicted : .inconclusive
                reason = what + String(format: "; per-seed difference in the claimed direction %.4g ± %.2g", d.mean, d.halfWidth!)
            } else {
                outcome = .inconclusive
                reason = what + "; fewer than two seeds have both values"
            }
            return
        }
        if let tolerance = check.tolerance {
            // A claim of no difference: the interval of the difference of means (half-widths
            // combined as independent errors) must lie within ±tolerance.
            guard let m = method, let b = baseline, let mh = m.halfWidth, let bh = b.halfWidth else {
                difference = nil
                outcome = .inconclusive
                reason = what + "; fewer than two seeds with a value on one side"
                return
            }
            let d = m.mean - b.mean, h = (mh * mh + bh * bh).squareRoot()
            difference = nil
            outcome = abs(d) + h <= tolerance ? .holds : abs(d) - h > tolerance ? .contradicted : .inconclusive
            reason = what + String(format: "; difference %.4g ± %.2g against a tolerance of ±%g", d, h, tolerance)
            return
        }
        difference = nil
        guard let m = method, let b = baseline, let mlo = m.lower, let mhi = m.upper, let blo = b.lower, let bhi = b.upper else {
            outcome = .inconclusive
            reason = what + "; fewer than two seeds with a value on one side"
            return
        }
        let better = check.higherIsBetter ? mlo > bhi : mhi < blo
        let worse = check.higherIsBetter ? mhi < blo : mlo > bhi
        outcome = better ? .holds : worse ? .contradicted : .inconclusive
        reason = what + (better ? "; the intervals are apart, \(word) as claimed" : worse ? "; the intervals are apart, the other way" : "; the intervals overlap")
    }

    /// Reproduced when every check holds, not reproduced when none does, partly otherwise.
    static func verdict(_ checks: [ClaimCheck]) -> (verdict: String, reason: String) {
        let holding = checks.filter { $0.outcome == .holds }.count
        let contradicted = checks.filter { $0.outcome == .contradicted }.count
        let n = checks.count
        if n == 0 { return ("not checked", "the experiment file declares no check") }
        let tally = "\(holding) of \(n) checks hold, \(contradicted) contradicted, \(n - holding - contradicted) inconclusive"
        if holding == n { return ("reproduced", tally) }
        if holding == 0 { return ("not reproduced", tally) }
        return ("partly", tally)
    }
}
