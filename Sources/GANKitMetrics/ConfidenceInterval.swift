import Foundation

/// The mean of a few independent measurements (one per seed) with its two-sided confidence
/// interval from Student's t distribution: mean ± t₍₁₋α/₂, n−1₎ · s / √n, s the sample standard
/// deviation. With one measurement the interval is undefined (nil), never a made-up width.
public struct ConfidenceInterval: Sendable, Equatable, Codable {
    public let count: Int
    public let mean: Double
    public let standardDeviation: Double?
    /// Half the interval's width; nil with fewer than two values.
    public let halfWidth: Double?
    public let level: Double

    public var lower: Double? { halfWidth.map { mean - $0 } }
    public var upper: Double? { halfWidth.map { mean + $0 } }

    /// The interval of `values` at `level` (0.95 by default); nil for no values.
    public init?(_ values: [Double], level: Double = 0.95) {
        guard !values.isEmpty, level > 0, level < 1 else { return nil }
        count = values.count
        let n = values.count
        let mean = values.reduce(0, +) / Double(n)
        self.mean = mean
        self.level = level
        if n >= 2 {
            let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
            standardDeviation = variance.squareRoot()
            halfWidth = StudentT.quantile(0.5 + level / 2, degreesOfFreedom: Double(count - 1)) * variance.squareRoot() / Double(n).squareRoot()
        } else {
            standardDeviation = nil
            halfWidth = nil
        }
    }
}

/// Student's t distribution: its CDF through the regularised incomplete beta function, and
/// quantiles by bisection on the CDF (exact to ~1e-12, ample for confidence intervals).
public enum StudentT {
    /// P(T ≤ t) for ν degrees of freedom.
    public static func cdf(_ t: Double, degreesOfFreedom nu: Double) -> Double {
        precondition(nu > 0, "degrees of freedom must be positive")
        let x = nu / (nu + t * t)
        let tail = 0.5 * regularizedIncompleteBeta(x, a: nu / 2, b: 0.5)
        return t >= 0 ? 1 - tail : tail
    }

    /// The t with P(T ≤ t) = p, for p in (0, 1).
    public static func quantile(_ p: Double, degreesOfFreedom nu: Double) -> Double {
        precondition(p > 0 && p < 1, "p must be in (0, 1)")
        var lo = -1.0, hi = 1.0
        while cdf(lo, degreesOfFreedom: nu) > p { lo *= 2 }
        while cdf(hi, degreesOfFreedom: nu) < p { hi *= 2 }
        for _ in 0..<200 {
            let mid = (lo + hi) / 2
            if cdf(mid, degreesOfFreedom: nu) < p { lo = mid } else { hi = mid }
            if hi - lo < 1e-13 * max(1, abs(mid)) { break }
        }
        return (lo + hi) / 2
    }

    /// I_x(a, b) by its continued fraction (modified Lentz), using the symmetry
    /// I_x(a, b) = 1 − I_{1−x}(b, a) where the fraction converges slowly.
    static func regularizedIncompleteBeta(_ x: Double, a: Double, b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logGammas: Double = lgamma(a + b) - lgamma(a) - lgamma(b)
        let logPowers: Double = a * log(x) + b * log(1 - x)
        let logFront = logGammas + logPowers
        if x > (a + 1) / (a + b + 2) { return 1 - regularizedIncompleteBeta(1 - x, a: b, b: a) }
        let tiny = 1e-300
        var c = 1.0, d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var f = d
        for m in 1...300 {
            let m = Double(m)
            let even: Double = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
            let odd: Double = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
            for numerator in [even, odd] {
                d = 1 + numerator * d
                if abs(d) < tiny { d = tiny }
                c = 1 + numerator / c
                if abs(c) < tiny { c = tiny }
                d = 1 / d
                f *= c * d
            }
            if abs(c * d - 1) < 1e-15 { break }
        }
        return exp(logFront) * f / a
    }
}
