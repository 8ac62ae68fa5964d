import Foundation

/// Jensen–Shannon divergence between the n-gram distributions of two sets of symbol sequences:
/// the text metric of WGAN-GP's character-level language model (JS-1 … JS-4), in bits, so that it
/// lies in [0, 1]: 0 for identical distributions, 1 for disjoint ones.
public enum NGramDivergence {
    /// The n-gram counts of fixed-length sequences laid end to end in `symbols` (n-grams do not
    /// cross from one sequence into the next).
    public static func counts(_ symbols: [UInt16], sequenceLength: Int, n: Int) -> [[UInt16]: Int] {
        var out: [[UInt16]: Int] = [:]
        guard n >= 1, n <= sequenceLength else { return out }
        for start in stride(from: 0, to: symbols.count - sequenceLength + 1, by: sequenceLength) {
            for i in start...(start + sequenceLength - n) { out[Array(symbols[i..<(i + n)]), default: 0] += 1 }
        }
        return out
    }

    /// JS(P ‖ Q) in bits between two count tables.
    public static func jensenShannon(_ p: [[UInt16]: Int], _ q: [[UInt16]: Int]) throws(MetricError) -> Double {
        let totalP = Double(p.values.reduce(0, +)), totalQ = Double(q.values.reduce(0, +))
        guard totalP > 0, totalQ > 0 else { throw .tooFewSamples(input: "n-gram counts", count: 0, minimum: 1) }
        // Sum in a fixed order (the keys sorted) so that the value does not depend on hashing.
        let keys = Set(p.keys).union(q.keys).sorted { $0.lexicographicallyPrecedes($1) }
        var divergence = 0.0
        for key in keys {
            let a = Double(p[key] ?? 0) / totalP, b = Double(q[key] ?? 0) / totalQ
            let m = (a + b) / 2
            if a > 0 { divergence += 0.5 * a * log2(a / m) }
            if b > 0 { divergence += 0.5 * b * log2(b / m) }
        }
        return max(0, divergence)
    }

    /// JS-n between generated and real sequences.
    public static func jensenShannon(generated: [UInt16], real: [UInt16], sequenceLength: Int, n: Int) throws(MetricError) -> Double {
        try jensenShannon(counts(generated, sequenceLength: sequenceLength, n: n), counts(real, sequenceLength: sequenceLength, n: n))
    }
}
