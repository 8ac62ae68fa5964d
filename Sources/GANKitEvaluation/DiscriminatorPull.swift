import GANKitAutodiff
import GANKitData
import GANKitNN
import GANKitTensor

/// Where discriminators pull generated samples on a Gaussian mixture: the directions in data
/// space in which each discriminator scores a sample as more real.
///
/// Every generator objective GANKit ships lowers its loss by raising the critic's score, so a
/// sample is pushed along ∇ₓD(x), whatever the objective; only the direction is used, which makes
/// the measures scale-free and the same for probabilities and critics. Three questions about G0
/// and the discriminators it learns against: do they agree where its samples should go, do they
/// pull them into the mode they sit on, and do they spread its cloud of samples or move it whole?
public struct DiscriminatorPull: Sendable {
    let means: [SIMD2<Double>]

    public init(mixture: GaussianMixture) {
        means = mixture.means
    }

    public struct Summary: Equatable, Sendable {
        /// The mean, over samples and pairs of discriminators, of the cosine between the two
        /// pulls: 1 when they pull each sample the same way, 0 when their pulls are unrelated.
        /// Nil with fewer than two discriminators.
        public var agreement: Double?
        /// The mean over samples and discriminators of the cosine between a pull and the
        /// direction from the sample to the centre of its nearest mode: above 0 when the
        /// discriminators pull samples into the mode they sit on, below when out of it.
        public var towardNearestMode: Double
        /// The mean over samples and discriminators of the cosine between a pull and the
        /// direction from the samples' own mean to the sample: above 0 when the discriminators
        /// spread the cloud of samples, below when they gather it, near 0 when they move it as a
        /// whole. Nil when every sample sits on that mean.
        public var outwardFromCentroid: Double?
    }

    /// The unit pulls of some discriminators on some samples, measured once (one backward pass
    /// per discriminator) and then summarised or compared as often as needed.
    public struct Pulls: Sendable {
        /// The samples, as points.
        let points: [SIMD2<Double>]
        /// `units[n][i]`: discriminator n's unit pull on sample i, nil where its gradient vanishes.
        let units: [[SIMD2<Double>?]]
    }

    /// Each discriminator's pull on each of `samples` (`[n, 2]`).
    public func pulls(of discriminators: [Module], on samples: Tensor) -> Pulls {
        precondition(samples.shape.count == 2 && samples.shape[1] == 2 && samples.shape[0] > 0,
                     "samples are [n, 2], got \(samples.shape)")
        precondition(!discriminators.isEmpty, "at least one discriminator")
        let scalars = samples.scalars
        return Pulls(points: (0..<samples.shape[0]).map { SIMD2(Double(scalars[2 * $0]), Double(scalars[2 * $0 + 1])) },
                     units: discriminators.map { Self.unitPulls($0, at: samples) })
    }

    /// The discriminators' agreement and how they point relative to the nearest mode. A pull of
    /// zero (a flat region) counts in neither.
    public func summarize(_ pulls: Pulls) -> Summary {
        var agreement = 0.0, pairs = 0
        var toward = 0.0, directions = 0
        var outward = 0.0, radial = 0
        let centroid = pulls.points.reduce(SIMD2<Double>(), +) / Double(max(pulls.points.count, 1))
        for (i, x) in pulls.points.enumerated() {
            let nearest = means.min { ($0 - x).squaredLength < ($1 - x).squaredLength }!
            let inward = nearest - x
            let distance = inward.squaredLength.squareRoot()
            let away = x - centroid
            let fromCentroid = away.squaredLength.squareRoot()
            for (n, pn) in pulls.units.enumerated() {
                guard let u = pn[i] else { continue }
                if distance > 1e-9 {
                    toward += (u * inward).sum() / distance
                    directions += 1
                }
                if fromCentroid > 1e-9 {
                    outward += (u * away).sum() / fromCentroid
                    radial += 1
                }
                for pm in pulls.units[(n + 1)...] {
                    guard let v = pm[i] else { continue }
                    agreement += (u * v).sum()
                    pairs += 1
                }
            }
        }
        return Summary(agreement: pulls.units.count < 2 || pairs == 0 ? nil : agreement / Double(pairs),
                       towardNearestMode: directions == 0 ? 0 : toward / Double(directions),
                       outwardFromCentroid: radial == 0 ? nil : outward / Double(radial))
    }

    /// `summarize` of the pulls of `discriminators` on `samples`.
    public func summarize(_ discriminators: [Module], samples: Tensor) -> Summary {
        summarize(pulls(of: discriminators, on: samples))
    }

    /// The mean over samples and over k of the cosine between the k-th discriminator's pulls in
    /// `first` and in `second` (measured on the same samples): 1 when each pair of
    /// discriminators pulls every sample the same way. Asked of messengers and the D_n they were
    /// cloned from, it tells how far a messenger's steps turned its pull. Nil when no sample has
    /// a pull under both of some pair.
    public static func alignment(_ first: Pulls, _ second: Pulls) -> Double? {
        precondition(first.units.count == second.units.count, "one discriminator in `second` per discriminator in `first`")
        precondition(first.points == second.points, "pulls measured on the same samples")
        var total = 0.0, count = 0
        for (a, b) in zip(first.units, second.units) {
            for case let (u?, v?) in zip(a, b) {
                total += (u * v).sum()
                count += 1
            }
        }
        return count == 0 ? nil : total / Double(count)
    }

    /// ∇ₓD(x) / ‖∇ₓD(x)‖ for every row of `points`, nil where the gradient vanishes. The
    /// discriminator is scored in evaluation mode, so each sample's pull is its own.
    static func unitPulls(_ discriminator: Module, at points: Tensor) -> [SIMD2<Double>?] {
        discriminator.setTraining(false)
        defer { discriminator.setTraining(true) }
        let x = Variable(points, requiresGradient: true)
        let gradient = Autodiff.gradients(of: discriminator(x).sum(), wrt: [x])[0].value.scalars
        return (0..<points.shape[0]).map { i in
            let g = SIMD2(Double(gradient[2 * i]), Double(gradient[2 * i + 1]))
            let length = g.squaredLength.squareRoot()
            return length > 0 ? g / length : nil
        }
    }
}

private extension SIMD2<Double> {
    var squaredLength: Double { (self * self).sum() }
}
