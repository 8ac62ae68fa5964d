import COpenBLAS
import Foundation
import GANKitTensor

/// The Fréchet distance between Gaussians fitted to two feature sets:
/// d² = ‖μ₁ − μ₂‖² + Tr(Σ₁ + Σ₂ − 2 (Σ₁Σ₂)^½).
///
/// On a GANKit classifier's penultimate features this is the "FID in the classifier's feature
/// space" of the WeGAN experiments — not comparable to FID numbers computed with ImageNet's
/// Inception network. Covariances are unbiased (n − 1). The trace term is computed in double
/// precision without a non-symmetric matrix square root: with S = Σ₁^½ (symmetric, from an
/// eigendecomposition), Σ₁Σ₂ is similar to S Σ₂ S, which is symmetric positive semi-definite, so
/// Tr (Σ₁Σ₂)^½ = Σᵢ √λᵢ(S Σ₂ S) — stable even when Σ₁ is singular (fewer samples than features).
public enum FrechetDistance {
    /// The mean and unbiased covariance of a feature set, in double precision.
    public struct Statistics: Sendable, Equatable {
        public let dimension: Int
        public let mean: [Double]
        /// Row-major `dimension × dimension`.
        public let covariance: [Double]

        /// Statistics computed elsewhere (a cache file); `covariance` is row-major `d × d`.
        public init(mean: [Double], covariance: [Double]) throws {
            guard !mean.isEmpty, covariance.count == mean.count * mean.count, (mean + covariance).allSatisfy(\.isFinite) else {
                throw MetricError.invalidOption(name: "statistics", value: "mean of \(mean.count), covariance of \(covariance.count) values",
                                                allowed: "a finite mean of d values and a d × d covariance")
            }
            dimension = mean.count
            self.mean = mean
            self.covariance = covariance
        }

        public init(features: Tensor, name: String = "features") throws {
            try PairwiseDistances.check(features, name)
            let n = features.shape[0], d = features.shape[1]
            guard n >= 2 else { throw MetricError.tooFewSamples(input: name, count: n, minimum: 2) }
            var mean = [Double](repeating: 0, count: d)
            var centred = [Double](repeating: 0, count: n * d)
            features.withUnsafeBufferPointer { p in
                for i in 0..<n { for k in 0..<d { mean[k] += Double(p[i * d + k]) } }
                for k in 0..<d { mean[k] /= Double(n) }
                for i in 0..<n { for k in 0..<d { centred[i * d + k] = Double(p[i * d + k]) - mean[k] } }
            }
            var cov = [Double](repeating: 0, count: d * d)
            cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(d), Int32(d), Int32(n),
                        1 / Double(n - 1), centred, Int32(d), centred, Int32(d), 0, &cov, Int32(d))
            self.dimension = d
            self.mean = mean
            self.covariance = cov
        }
    }

    /// The distance between the features `a` `[n, d]` and `b` `[m, d]`.
    public static func compute(_ a: Tensor, _ b: Tensor) throws -> Double {
        let sa = try Statistics(features: a, name: "a"), sb = try Statistics(features: b, name: "b")
        guard sa.dimension == sb.dimension else {
            throw MetricError.badShape(input: "b", shape: b.shape, expected: "[m, \(sa.dimension)] (as many columns as a)")
        }
        return try compute(sa, sb)
    }

    /// The distance between two precomputed statistics (e.g. the real set's, computed once).
    public static func compute(_ a: Statistics, _ b: Statistics) throws -> Double {
        let d = a.dimension
        guard b.dimension == d else {
            throw MetricError.invalidOption(name: "statistics", value: "dimensions \(a.dimension) and \(b.dimension)", allowed: "equal dimensions")
        }
        var meanTerm = 0.0, traces = 0.0
        for k in 0..<d {
            let diff = a.mean[k] - b.mean[k]
            meanTerm += diff * diff
            traces += a.covariance[k * d + k] + b.covariance[k * d + k]
        }
        let s = try symmetricSquareRoot(a.covariance, d)
        // M = S Σ₂ S, then symmetrised against rounding.
        var t = [Double](repeating: 0, count: d * d), m = [Double](repeating: 0, count: d * d)
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(d), Int32(d), Int32(d), 1, s, Int32(d), b.covariance, Int32(d), 0, &t, Int32(d))
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(d), Int32(d), Int32(d), 1, t, Int32(d), s, Int32(d), 0, &m, Int32(d))
        for i in 0..<d { for j in (i + 1)..<max(i + 1, d) { let v = (m[i * d + j] + m[j * d + i]) / 2; m[i * d + j] = v; m[j * d + i] = v } }
        let eigenvalues = try symmetricEigen(&m, d, vectors: false)
        let traceSqrt = eigenvalues.reduce(0) { $0 + max($1, 0).squareRoot() }
        return meanTerm + traces - 2 * traceSqrt
    }

    /// The symmetric square root V diag(√max(λ, 0)) Vᵀ of a symmetric matrix.
    static func symmetricSquareRoot(_ matrix: [Double], _ d: Int) throws -> [Double] {
        var v = matrix
        let lambda = try symmetricEigen(&v, d, vectors: true)
        // LAPACK is column-major: eigenvector k is v[k·d ..< (k+1)·d], i.e. row k of the row-major
        // array W. Scaling row k by λₖ^¼ gives U with Uᵀ U = Wᵀ diag(√λ) W.
        for k in 0..<d {
            let f = max(lambda[k], 0).squareRoot().squareRoot()
            for i in 0..<d { v[k * d + i] *= f }
        }
        var out = [Double](repeating: 0, count: d * d)
        cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(d), Int32(d), Int32(d), 1, v, Int32(d), v, Int32(d), 0, &out, Int32(d))
        return out
    }

    /// Eigenvalues (ascending) of a symmetric matrix via LAPACK dsyev; with `vectors`, the matrix
    /// is overwritten by the eigenvectors (column-major).
    static func symmetricEigen(_ a: inout [Double], _ d: Int, vectors: Bool) throws -> [Double] {
        var jobz = CChar(UInt8(ascii: vectors ? "V" : "N")), uplo = CChar(UInt8(ascii: "U"))
        var n = Int32(d), lda = Int32(d), info: Int32 = 0, lwork: Int32 = -1
        var w = [Double](repeating: 0, count: d)
        var query = 0.0
        dsyev_(&jobz, &uplo, &n, &a, &lda, &w, &query, &lwork, &info)
        guard info == 0 else { throw MetricError.lapack(routine: "dsyev (workspace query)", info: Int(info)) }
        lwork = Int32(max(1, Int(query)))
        var work = [Double](repeating: 0, count: Int(lwork))
        dsyev_(&jobz, &uplo, &n, &a, &lda, &w, &work, &lwork, &info)
        guard info == 0 else { throw MetricError.lapack(routine: "dsyev", info: Int(info)) }
        return w
    }
}
