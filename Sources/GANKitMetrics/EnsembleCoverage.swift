/// The modes an ensemble of generators covers together (SGAN Fig. 2d).
///
/// SGAN's argument for independent local pairs: if each pair leaves a mode uncovered with
/// probability p, independently, an ensemble of N leaves it uncovered with probability pᴺ. A mode
/// counts as covered by the ensemble when at least one member covers it on its own, each member
/// judged by its own samples with the same threshold. `uncoveredBySize[k − 1]` is the fraction of
/// modes left uncovered by the first k members, so one ensemble of N independent, identically
/// trained pairs yields the whole curve k = 1…N.
public struct EnsembleCoverage: Sendable, Equatable, Codable {
    /// M, the number of modes.
    public let modeCount: Int
    /// Modes covered by at least one member.
    public let modesCovered: Int
    /// Fraction of modes no member covers, in [0, 1].
    public let uncoveredFraction: Double
    /// Fraction of modes the first k members leave uncovered, for k = 1…N (non-increasing).
    public let uncoveredBySize: [Double]

    /// Combines the members' coverages, which must describe the same mixture and threshold.
    public init(members: [ModeCoverage]) throws {
        guard let first = members.first else { throw MetricError.tooFewSamples(input: "members", count: 0, minimum: 1) }
        guard members.allSatisfy({ $0.modeCount == first.modeCount && $0.threshold == first.threshold }) else {
            throw MetricError.invalidOption(name: "members", value: "coverages of different mixtures or thresholds",
                                            allowed: "one mixture and one threshold")
        }
        var covered = [Bool](repeating: false, count: first.modeCount)
        var bySize: [Double] = []
        for member in members {
            for (k, count) in member.highQualityCounts.enumerated() where count >= member.threshold { covered[k] = true }
            bySize.append(Double(covered.filter { !$0 }.count) / Double(first.modeCount))
        }
        modeCount = first.modeCount
        modesCovered = covered.filter { $0 }.count
        uncoveredFraction = bySize.last!
        uncoveredBySize = bySize
    }
}
