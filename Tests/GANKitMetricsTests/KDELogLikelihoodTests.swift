import Foundation
import GANKitData
import GANKitMetrics
import GANKitTensor
import GANKitTestSupport
import Testing

@Test(arguments: Oracle.cases(kind: "kde_log_likelihood"))
func kdeLogLikelihoodMatchesPyTorch(_ c: OracleCase) throws {
    let h = try #require(c.config["bandwidth"]?.double)
    let value = try KDELogLikelihood.mean(of: c.input("points"), underKDEOf: c.input("samples"), bandwidth: h)
    #expect(isClose(Tensor(Float(value)), c.expected("mean_log_likelihood")), "\(c.name): \(value)")
}

@Test func realDataIsMoreLikelyUnderAGoodGeneratorThanUnderACollapsedOne() throws {
    var s = RandomStream(seed: 9)
    let real = GaussianMixture.ring8.sample(count: 1000, using: &s)
    let good = GaussianMixture.ring8.sample(count: 500, using: &s)
    let oneMode = try GaussianMixture(means: [GaussianMixture.ring8.means[0]], std: 0.02).sample(count: 500, using: &s)
    let a = try KDELogLikelihood.crossValidated(of: real, underKDEOf: good)
    let b = try KDELogLikelihood.crossValidated(of: real, underKDEOf: oneMode)
    #expect(a.meanLogLikelihood > b.meanLogLikelihood + 10)
    #expect(a.bandwidth > 0)
}

@Test func samplesOfTheTrueMixtureHaveItsExpectedLogLikelihood() throws {
    var s = RandomStream(seed: 10)
    let m = GaussianMixture.ring8
    let x = m.sample(count: 20_000, using: &s)
    // Modes are far apart: E log p = log(1/8) − log(2πσ²) − 1 (the Gaussian's entropy term).
    let expected = log(1.0 / 8) - log(2 * Double.pi * 0.02 * 0.02) - 1
    #expect(abs(try KDELogLikelihood.underMixture(x, mixture: m) - expected) < 0.03)
    #expect(throws: MetricError.self) { try KDELogLikelihood.underMixture(Tensor.zeros([3, 3]), mixture: m) }
}
