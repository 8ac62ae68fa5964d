import Foundation
import GANKitTensor

/// The squared maximum mean discrepancy with a Gaussian kernel (WeGAN's metric).
///
/// k(x, y) = Σ_σ exp(−‖x − y‖² / (2σ²)) over one or several bandwidths σ (a sum of kernels is
/// itself a kernel, and is less sensitive to one badly chosen σ). With n real points x and m
/// generated points y:
/// - biased: MMD²_b = 1/n² Σᵢⱼ k(xᵢ, xⱼ) + 1/m² Σᵢⱼ k(yᵢ, yⱼ) − 2/(nm) Σᵢⱼ k(xᵢ, yⱼ);
/// - unbiased (Gretton et al. 2012, eq. 3): the same with the diagonal terms k(xᵢ, xᵢ) dropped
///   from the within-set sums and 1/(n(n−1)), 1/(m(m−1)) as normalisers. It can be negative.
/// Kernel sums use GEMM tiles (`PairwiseDistances`), visit only the upper triangle of the
/// within-set matrices, and accumulate in double precision.
public enum MMD {
    /// Both estimates from the same kernel sums.
    public struct Result: Sendable, Equatable, Codable {
        public var biased: Double
        public var unbiased: Double
        /// The bandwidths whose kernels were summed (reports must state them).
        public var bandwidths: [Double]
    }

    /// Which estimate a caller wants as a single number.
    public enum Estimator: String, Codable, Sendable, CaseIterable { case biased, unbiased }

    /// Squared MMD between `x` `[n, d]` and `y` `[m, d]` with the sum of Gaussian kernels of
    /// `bandwidths`. This is also the entry point to time (10,000 × 10,000 takes seconds).
    public static func squared(_ x: Tensor, _ y: Tensor, bandwidths: [Double]) throws -> Result {
        guard !bandwidths.isEmpty, bandwidths.allSatisfy({ $0 > 0 && $0.isFinite }) else {
            throw MetricError.invalidOption(name: "bandwidths", value: "\(bandwidths)", allowed: "one or more finite values > 0")
        }
        let cross = try PairwiseDistances(x, y)
        let n = x.shape[0], m = y.shape[0]
        guard n >= 2 else { throw MetricError.tooFewSamples(input: "x", count: n, minimum: 2) }
        guard m >= 2 else { throw MetricError.tooFewSamples(input: "y", count: m, minimum: 2) }
        let coefficients = bandwidths.map { Float(-1 / (2 * $0 * $0)) }
        let sxx = try kernelSum(within: PairwiseDistances(within: x, name: "x"), coefficients)
        let syy = try kernelSum(within: PairwiseDistances(within: y, name: "y"), coefficients)
        let sxy = kernelSum(cross, coefficients)
        let (dn, dm) = (Double(n), Double(m))
        let kernels = Double(bandwidths.count)  // k(x, x) for a sum of L Gaussian kernels
        let biased = sxx / (dn * dn) + syy / (dm * dm) - 2 * sxy / (dn * dm)
        let unbiased = (sxx - dn * kernels) / (dn * (dn - 1)) + (syy - dm * kernels) / (dm * (dm - 1)) - 2 * sxy / (dn * dm)
        return Result(biased: biased, unbiased: unbiased, bandwidths: bandwidths)
    }

    /// One estimate with a single bandwidth.
    public static func squared(_ x: Tensor, _ y: Tensor, bandwidth: Double, estimator: Estimator = .unbiased) throws -> Double {
        let r = try squared(x, y, bandwidths: [bandwidth])
        return estimator == .biased ? r.biased : r.unbiased
    }

    /// Σᵢⱼ k over all pairs of a symmetric set (diagonal included), from the upper tiles.
    private static func kernelSum(within d: PairwiseDistances, _ coefficients: [Float]) -> Double {
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: PairwiseDistances.defaultTile * PairwiseDistances.defaultTile)
        defer { scratch.deallocate() }
        var total = 0.0
        d.forEachTile(upperOnly: true) { i0, j0, r, c, tile in
            let s = tileSum(tile, r * c, coefficients, scratch)
            total += i0 == j0 ? s : 2 * s  // an off-diagonal tile stands for its mirror image too
        }
        return total
    }

    private static func kernelSum(_ d: PairwiseDistances, _ coefficients: [Float]) -> Double {
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: PairwiseDistances.defaultTile * PairwiseDistances.defaultTile)
        defer { scratch.deallocate() }
        var total = 0.0
        d.forEachTile { _, _, r, c, tile in total += tileSum(tile, r * c, coefficients, scratch) }
        return total
    }

    @inline(__always)
    private static func tileSum(_ tile: UnsafeMutablePointer<Float>, _ count: Int, _ coefficients: [Float],
                                _ scratch: UnsafeMutablePointer<Float>) -> Double {
        var total = 0.0
        for a in coefficients { total += sumExp(tile, count, scale: a, scratch: scratch) }
        return total
    }
}
