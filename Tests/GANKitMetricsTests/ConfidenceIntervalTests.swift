import Foundation
import GANKitMetrics
import Testing

/// Student's t quantiles and the intervals the reproduction pages print, against tabulated values.
struct ConfidenceIntervalTests {
    @Test func quantilesMatchTheTables() {
        // Two-sided 95% critical values (e.g. NIST/SEMATECH e-Handbook, Table of t).
        let table: [(Double, Double)] = [(1, 12.706205), (2, 4.302653), (4, 2.776445), (9, 2.262157), (29, 2.045230), (1000, 1.962339)]
        for (nu, t) in table {
            #expect(abs(StudentT.quantile(0.975, degreesOfFreedom: nu) - t) < 1e-5, "ν = \(nu)")
        }
        #expect(abs(StudentT.quantile(0.995, degreesOfFreedom: 4) - 4.604095) < 1e-5)
        #expect(abs(StudentT.cdf(0, degreesOfFreedom: 3) - 0.5) < 1e-15)
        #expect(abs(StudentT.cdf(-2.776445, degreesOfFreedom: 4) - 0.025) < 1e-6)
        // ν = 1 is the Cauchy distribution: F(t) = 1/2 + atan(t)/π.
        for t in [-3.0, -0.5, 0.25, 4] { #expect(abs(StudentT.cdf(t, degreesOfFreedom: 1) - (0.5 + atan(t) / .pi)) < 1e-12) }
    }

    @Test func intervalOfFiveSeeds() throws {
        let ci = try #require(ConfidenceInterval([1, 2, 3, 4, 5]))
        #expect(ci.count == 5 && ci.mean == 3)
        #expect(abs(ci.standardDeviation! - 1.5811388) < 1e-7)
        #expect(abs(ci.halfWidth! - 2.776445 * 1.5811388 / 5.0.squareRoot()) < 1e-5)
        #expect(abs(ci.lower! - (3 - 1.963243)) < 1e-5 && abs(ci.upper! - (3 + 1.963243)) < 1e-5)
    }

    @Test func oneValueHasNoIntervalAndNoneHasNoMean() throws {
        let one = try #require(ConfidenceInterval([0.7]))
        #expect(one.mean == 0.7 && one.halfWidth == nil && one.lower == nil)
        #expect(ConfidenceInterval([]) == nil)
        let constant = try #require(ConfidenceInterval([2, 2, 2]))
        #expect(constant.halfWidth == 0)
    }
}
