import GANKitData
import GANKitNN
import GANKitTensor

/// How far a discriminator's "real" region reaches into empty space, on a Gaussian mixture.
///
/// The question behind it: a messenger is a one-step copy of D_n, which has never been shown
/// samples far from the data; if D_n scores empty regions as real, G0 can be pulled there. The
/// measure works for probabilities and critics alike, since it compares D with itself: a point
/// counts as "real" when D scores it at least as high as the median real sample. On a grid over
/// the data's box (enlarged by half), it is the fraction of the points farther than `clearance`
/// standard deviations from every mode that D calls real. 0: D confines "real" to the modes;
/// 1: D calls all empty space real. The grid and the real samples are made once and serve every
/// discriminator scored against the same mixture.
public struct DiscriminatorReach: Sendable {
    let real: Tensor
    /// The off-data grid points only, `[k, 2]`.
    let emptySpace: Tensor

    public init(mixture: GaussianMixture, resolution: Int = 64, clearance: Double = 5, realSamples: Int = 1000, seed: UInt64 = 0) {
        var stream = RandomStream(seed: seed).derived("discriminator-reach")
        real = mixture.sample(count: realSamples, using: &stream)
        let extent = 1.5 * (mixture.means.map { max(abs($0.x), abs($0.y)) }.max()! + 3 * mixture.stds.max()!)
        var far: [Float] = []
        for row in 0..<resolution {
            for col in 0..<resolution {
                let x = -extent + (Double(col) + 0.5) / Double(resolution) * 2 * extent
                let y = -extent + (Double(row) + 0.5) / Double(resolution) * 2 * extent
                let clear = zip(mixture.means, mixture.stds).allSatisfy { mean, std in
                    let d = SIMD2(x, y) - mean
                    return (d * d).sum() > (clearance * std) * (clearance * std)
                }
                if clear { far += [Float(x), Float(y)] }
            }
        }
        emptySpace = Tensor(shape: [far.count / 2, 2], values: far)
    }

    /// How many real samples every score is compared with.
    public var realCount: Int { real.shape[0] }

    /// The fraction of empty space `discriminator` scores at least as high as its median real sample.
    public func offDataRealFraction(_ discriminator: Module) -> Double {
        guard emptySpace.shape[0] > 0 else { return 0 }
        discriminator.setTraining(false)
        defer { discriminator.setTraining(true) }
        let realScores = discriminator(real).scalars.sorted()
        let median = realScores[realScores.count / 2]
        let called = discriminator(emptySpace).scalars.filter { $0 >= median }.count
        return Double(called) / Double(emptySpace.shape[0])
    }
}

extension DiscriminatorReach {
    /// The probability that `discriminator` scores one of `samples` above one of the real samples,
    /// ties counted half (the Mann–Whitney statistic, an AUC read the other way round).
    ///
    /// Asked of D_n about G0's samples, it is where a messenger starts: 0.5 when D_n cannot tell
    /// G0's samples from the data, below when it rejects them, above when it prefers them. Like
    /// the reach it compares D with itself, so it holds for critics too.
    public func rankAboveData(_ discriminator: Module, samples: Tensor) -> Double {
        precondition(samples.shape.count == 2 && samples.shape[1] == real.shape[1] && samples.shape[0] > 0,
                     "samples are [n, \(real.shape[1])], got \(samples.shape)")
        discriminator.setTraining(false)
        defer { discriminator.setTraining(true) }
        let realScores = discriminator(real).scalars, sampleScores = discriminator(samples).scalars
        // Rank both together, ties sharing their mean rank; U counts the pairs a sample wins.
        let scored = (realScores.map { ($0, false) } + sampleScores.map { ($0, true) }).sorted { $0.0 < $1.0 }
        var rankSum = 0.0, start = 0
        while start < scored.count {
            var end = start
            while end + 1 < scored.count && scored[end + 1].0 == scored[start].0 { end += 1 }
            let meanRank = Double(start + end) / 2 + 1
            rankSum += meanRank * Double(scored[start...end].reduce(0) { $0 + ($1.1 ? 1 : 0) })
            start = end + 1
        }
        let m = Double(sampleScores.count), n = Double(realScores.count)
        return (rankSum - m * (m + 1) / 2) / (m * n)
    }
}
