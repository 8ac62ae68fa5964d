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
