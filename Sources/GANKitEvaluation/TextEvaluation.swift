import Foundation
import GANKitData
import GANKitMetrics
import GANKitNN
import GANKitTensor
import GANKitTraining

/// A character-level generator scored against held-out text: JS-1 … JS-4 between the n-gram
/// distributions of its samples (each position's most probable symbol) and of the held-out
/// sentences, and a few samples to read (SGAN Table 2).
public struct TextEvaluation: Codable, Sendable, Equatable {
    public var samples: Int
    /// JS-n in bits, n = 1…4.
    public var jensenShannon: [Double]
    /// The share of generated positions taken by the most frequent generated symbol: 1 when the
    /// generator writes one symbol everywhere (SGAN's observation: WGAN's early samples are all
    /// spaces).
    public var dominantSymbolFraction: Double
    /// Distinct symbols among the generated positions.
    public var distinctSymbols: Int
    /// The first generated sentences, as text.
    public var snippets: [String]

    public static func evaluate(generator: Module, noise latent: LatentNoise, corpus: TextCorpus, samples: Int = 500, seed: UInt64 = 0,
                                snippets: Int = 8) throws -> TextEvaluation {
        var noise = RandomStream(seed: seed).derived("evaluation.noise")
        generator.setTraining(false)
        defer { generator.setTraining(true) }
        var symbols: [UInt16] = []
        symbols.reserveCapacity(samples * corpus.sequenceLength)
        var made = 0
        while made < samples {
            let n = min(250, samples - made)
            symbols += decode(generator(latent.sample(n, using: &noise)))
            made += n
        }
        let length = corpus.sequenceLength
        guard symbols.count == samples * length else {
            throw EvaluationError.shapeMismatch("the generator writes \(symbols.count / max(samples, 1)) symbols a sample, the corpus has sentences of \(length)")
        }
        let js = try (1...4).map { n throws -> Double in
            try NGramDivergence.jensenShannon(generated: symbols, real: corpus.heldOut, sequenceLength: length, n: min(n, length))
        }
        let text = corpus.vocabulary.sentences(symbols, length: length, count: snippets)
        var counts = [Int](repeating: 0, count: corpus.vocabulary.count)
        for s in symbols where Int(s) < counts.count { counts[Int(s)] += 1 }
        return TextEvaluation(samples: samples, jensenShannon: js, dominantSymbolFraction: Double(counts.max() ?? 0) / Double(max(symbols.count, 1)),
                              distinctSymbols: counts.filter { $0 > 0 }.count, snippets: text)
    }

    /// Each position's most probable symbol of `[N, vocabulary, length]`, sentence after sentence.
    public static func decode(_ distributions: Tensor) -> [UInt16] {
        let (n, v, l) = (distributions.shape[0], distributions.shape[1], distributions.shape[2])
        var out = [UInt16](repeating: 0, count: n * l)
        distributions.withUnsafeBufferPointer { p in
            for s in 0..<n {
                for position in 0..<l {
                    var best = 0
                    var bestValue = -Float.infinity
                    for symbol in 0..<v where p[(s * v + symbol) * l + position] > bestValue {
                        bestValue = p[(s * v + symbol) * l + position]
                        best = symbol
                    }
                    out[s * l + position] = UInt16(best)
                }
            }
        }
        return out
    }
}
