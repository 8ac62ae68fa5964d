import Foundation
import GANKitTensor

/// An equally weighted mixture of isotropic 2-D Gaussians: the "ring" and "grid" benchmarks.
///
/// Mode collapse is measured on these mixtures because the modes are known exactly: a sample can
/// be attributed to its nearest mean (`ModeCoverage` in GANKitMetrics), and the true density is
/// available in closed form (`logDensity`). The presets reproduce the data of the papers
/// (Unrolled GAN, VEEGAN and PacGAN's ring of 8, SGAN's ring of 10, WeGAN's own ring, the 5×5 grid).
public struct GaussianMixture: ToySampler, Codable, Equatable, Sendable {
    /// The mode means, one `[x, y]` pair per component.
    public let means: [SIMD2<Double>]
    /// The standard deviation of each component (the same in both coordinates).
    public let stds: [Double]

    /// A mixture with the given means and per-component standard deviations (equal weights).
    /// Throws when there is no component, the counts differ, or a deviation is not positive.
    public init(means: [SIMD2<Double>], stds: [Double]) throws {
        guard !means.isEmpty else { throw DataError.invalidOption(name: "means", value: "[]", allowed: "at least one mode") }
        guard stds.count == means.count else {
            throw DataError.invalidOption(name: "stds", value: "\(stds.count) values", allowed: "one per mean (\(means.count))")
        }
        for s in stds where !(s > 0 && s.isFinite) {
            throw DataError.invalidOption(name: "std", value: "\(s)", allowed: "a finite value > 0")
        }
        for m in means where !(m.x.isFinite && m.y.isFinite) {
            throw DataError.invalidOption(name: "means", value: "\(m)", allowed: "finite coordinates")
        }
        self.means = means
        self.stds = stds
    }

    /// A mixture whose components all share one standard deviation.
    public init(means: [SIMD2<Double>], std: Double) throws {
        try self.init(means: means, stds: Array(repeating: std, count: means.count))
    }

    /// The number of modes.
    public var modeCount: Int { means.count }

    /// `modes` Gaussians with means on a circle of `radius` at angles 2πk/modes, k = 0..<modes.
    public static func ring(modes: Int, radius: Double, std: Double) throws -> GaussianMixture {
        guard modes >= 1 else { throw DataError.invalidOption(name: "modes", value: "\(modes)", allowed: "≥ 1") }
        guard radius >= 0, radius.isFinite else { throw DataError.invalidOption(name: "radius", value: "\(radius)", allowed: "a finite value ≥ 0") }
        let means = (0..<modes).map { k -> SIMD2<Double> in
            let angle = 2 * Double.pi * Double(k) / Double(modes)
            return SIMD2(radius * cos(angle), radius * sin(angle))
        }
        return try GaussianMixture(means: means, std: std)
    }

    /// `side × side` Gaussians on a square grid centred at the origin, `spacing` apart
    /// (side 5, spacing 2 gives means on {−4, −2, 0, 2, 4}²). Means are listed row by row (y outer).
    public static func grid(side: Int, spacing: Double, std: Double) throws -> GaussianMixture {
        guard side >= 1 else { throw DataError.invalidOption(name: "side", value: "\(side)", allowed: "≥ 1") }
        guard spacing > 0, spacing.isFinite else { throw DataError.invalidOption(name: "spacing", value: "\(spacing)", allowed: "a finite value > 0") }
        let offset = Double(side - 1) / 2
        var means: [SIMD2<Double>] = []
        for i in 0..<side { for j in 0..<side { means.append(SIMD2((Double(j) - offset) * spacing, (Double(i) - offset) * spacing)) } }
        return try GaussianMixture(means: means, std: std)
    }

    // The presets cannot fail; `try!` documents that their constants are valid.

    /// 8 modes on a circle of radius 2, std 0.02 (Unrolled GAN, VEEGAN, PacGAN).
    public static let ring8 = try! ring(modes: 8, radius: 2, std: 0.02)
    /// 8 modes on a circle of radius 3, covariance 0.1·I (WeGAN's data).
    public static let ring8WeGAN = try! ring(modes: 8, radius: 3, std: 0.1.squareRoot())
    /// 10 modes on a circle of radius 2, std 0.02 (SGAN, Fig. 2).
    public static let ring10 = try! ring(modes: 10, radius: 2, std: 0.02)
    /// 25 modes on {−4, −2, 0, 2, 4}², std 0.05.
    public static let grid25 = try! grid(side: 5, spacing: 2, std: 0.05)

    /// Draws `count` points: for each, a component uniformly at random, then its Gaussian.
    public func sample(count: Int, using stream: inout RandomStream) -> Tensor {
        let n = max(0, count)
        var out = Tensor(uninitializedShape: [n, 2])
        let means = self.means, stds = self.stds
        out.withUnsafeMutableBufferPointer { buffer in
            stream.fillNormal(buffer)
            for i in 0..<n {
                let k = stream.nextInt(below: means.count)
                let s = stds[k]
                buffer[2 * i] = Float(means[k].x + s * Double(buffer[2 * i]))
                buffer[2 * i + 1] = Float(means[k].y + s * Double(buffer[2 * i + 1]))
            }
        }
        return out
    }

    /// The log of the mixture density at `point` (natural log), computed with log-sum-exp so that
    /// points far from every mode give a finite, very negative value instead of −∞.
    public func logDensity(_ point: SIMD2<Double>) -> Double {
        // Two passes (maximum, then the shifted sum) so that nothing is allocated per point.
        @inline(__always) func term(_ k: Int) -> Double {
            let d = point - means[k]
            let v = stds[k] * stds[k]
            return -((d * d).sum()) / (2 * v) - log(2 * Double.pi * v)
        }
        var best = -Double.infinity
        for k in 0..<means.count { best = max(best, term(k)) }
        var sum = 0.0
        for k in 0..<means.count { sum += exp(term(k) - best) }
        return best + log(sum) - log(Double(means.count))
    }

    /// The log-density of every row of `points` (shape `[n, 2]`).
    public func logDensities(_ points: Tensor) throws -> [Double] {
        guard points.rank == 2, points.shape[1] == 2 else {
            throw DataError.invalidOption(name: "points", value: "shape \(points.shape)", allowed: "[n, 2]")
        }
        return points.withUnsafeBufferPointer { p in
            (0..<points.shape[0]).map { logDensity(SIMD2(Double(p[2 * $0]), Double(p[2 * $0 + 1]))) }
        }
    }
}
