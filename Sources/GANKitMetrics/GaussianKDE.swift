import Foundation
import GANKitTensor

/// An isotropic Gaussian kernel density estimate of a point set:
/// p̂(x) = 1/n Σⱼ N(x; sⱼ, h²I).
///
/// The log-density is evaluated with log-sum-exp over the exponents −‖x − sⱼ‖²/(2h²), so points
/// far from every sample keep a finite log-density instead of underflowing to −∞, and the
/// distances come from GEMM tiles (`PairwiseDistances`). Used by the KDE log-likelihood (SGAN
/// appendix A.2) and by AdaGAN's coverage.
public struct GaussianKDE: Sendable {
    /// The points the density is built on, `[n, d]`.
    public let samples: Tensor
    /// The kernel's standard deviation h.
    public let bandwidth: Double

    public init(samples: Tensor, bandwidth: Double) throws {
        try PairwiseDistances.check(samples, "samples")
        guard samples.shape[0] >= 1 else { throw MetricError.tooFewSamples(input: "samples", count: 0, minimum: 1) }
        guard bandwidth > 0, bandwidth.isFinite else {
            throw MetricError.invalidOption(name: "bandwidth", value: "\(bandwidth)", allowed: "a finite value > 0")
        }
        self.samples = samples
        self.bandwidth = bandwidth
    }

    /// log p̂ at each row of `points` `[k, d]` (natural log).
    public func logDensities(_ points: Tensor) throws -> [Double] {
        let distances = try PairwiseDistances(points, samples, names: ("points", "samples"))
        let k = distances.rows, n = distances.columns, d = distances.dimension
        let a = Float(-1 / (2 * bandwidth * bandwidth))
        // Running log-sum-exp per point: best exponent so far and the sum scaled by it.
        var best = [Double](repeating: -.infinity, count: k)
        var sum = [Double](repeating: 0, count: k)
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: PairwiseDistances.defaultTile)
        defer { scratch.deallocate() }
        distances.forEachTile { i0, _, r, c, tile in
            for i in 0..<r {
                let row = tile + i * c
                var smallest = row[0]
                for j in 1..<max(1, c) { smallest = min(smallest, row[j]) }
                let tileBest = a * smallest
                let p = i0 + i
                let newBest = max(best[p], Double(tileBest))
                let partial = sumExp(row, c, scale: a, shift: tileBest, scratch: scratch)
                sum[p] = sum[p] * exp(best[p] - newBest) + partial * exp(Double(tileBest) - newBest)
                best[p] = newBest
            }
        }
        let normaliser = log(Double(n)) + Double(d) / 2 * log(2 * Double.pi * bandwidth * bandwidth)
        return (0..<k).map { best[$0] + log(sum[$0]) - normaliser }
    }

    /// The mean of log p̂ over the rows of `points`.
    public func meanLogDensity(_ points: Tensor) throws -> Double {
        let values = try logDensities(points)
        guard !values.isEmpty else { throw MetricError.tooFewSamples(input: "points", count: 0, minimum: 1) }
        return values.reduce(0, +) / Double(values.count)
    }

    /// Scott's rule for an isotropic kernel: h = σ̄ · n^(−1/(d+4)), with σ̄² the mean over
    /// dimensions of the per-dimension (unbiased) variances of `samples`.
    public static func scottBandwidth(_ samples: Tensor) throws -> Double {
        try PairwiseDistances.check(samples, "samples")
        let n = samples.shape[0], d = samples.shape[1]
        guard n >= 2 else { throw MetricError.tooFewSamples(input: "samples", count: n, minimum: 2) }
        var mean = [Double](repeating: 0, count: d), square = [Double](repeating: 0, count: d)
        samples.withUnsafeBufferPointer { p in
            for i in 0..<n { for k in 0..<d { mean[k] += Double(p[i * d + k]) } }
            for k in 0..<d { mean[k] /= Double(n) }
            for i in 0..<n { for k in 0..<d { let v = Double(p[i * d + k]) - mean[k]; square[k] += v * v } }
        }
        let variance = square.reduce(0, +) / Double(d * (n - 1))
        let h = variance.squareRoot() * pow(Double(n), -1 / Double(d + 4))
        guard h > 0 else { throw MetricError.invalidOption(name: "samples", value: "all rows identical", allowed: "a set with spread") }
        return h
    }

    /// The default bandwidth grid for cross-validation: 25 values from 0.001 to 10, evenly
    /// spaced in log scale (toy data's modes have std 0.02–0.3; images' scales are larger).
    public static let defaultBandwidthGrid: [Double] = (0..<25).map { pow(10, -3 + 4 * Double($0) / 24) }

    /// The bandwidth of `grid` that maximises the held-out log-likelihood of `samples` under
    /// `folds`-fold cross-validation (folds are contiguous blocks of rows: shuffle the samples
    /// first if their order is not random). Returns it with the mean held-out log-likelihood of
    /// each grid value.
    public static func crossValidatedBandwidth(_ samples: Tensor, grid: [Double] = defaultBandwidthGrid,
                                               folds: Int = 5) throws -> (bandwidth: Double, scores: [Double]) {
        try PairwiseDistances.check(samples, "samples")
        let n = samples.shape[0]
        guard folds >= 2 else { throw MetricError.invalidOption(name: "folds", value: "\(folds)", allowed: "≥ 2") }
        guard n >= folds else { throw MetricError.tooFewSamples(input: "samples", count: n, minimum: folds) }
        guard !grid.isEmpty, grid.allSatisfy({ $0 > 0 && $0.isFinite }) else {
            throw MetricError.invalidOption(name: "grid", value: "\(grid)", allowed: "one or more finite bandwidths > 0")
        }
        let bounds = (0...folds).map { $0 * n / folds }
        var splits: [(train: Tensor, held: Tensor)] = []
        for f in 0..<folds {
            let held = Array(bounds[f]..<bounds[f + 1])
            let train = Array(0..<bounds[f]) + Array(bounds[f + 1]..<n)
            splits.append((samples.gatherRows(train), samples.gatherRows(held)))
        }
        var scores: [Double] = []
        for h in grid {
            var total = 0.0
            for s in splits { total += try GaussianKDE(samples: s.train, bandwidth: h).logDensities(s.held).reduce(0, +) }
            scores.append(total / Double(n))
        }
        let best = scores.indices.max { scores[$0] < scores[$1] }!
        return (grid[best], scores)
    }
}
