import Foundation
import GANKitData
import GANKitMetrics
import GANKitTensor
import Testing

@Test(arguments: [("ring8", GaussianMixture.ring8), ("grid25", GaussianMixture.grid25)])
func samplesOfTheTrueMixtureHaveCoverageAtLeastNinetyPercent(name: String, mixture: GaussianMixture) throws {
    var s = RandomStream(seed: 14).derived(name)
    let real = mixture.sample(count: 2500, using: &s), generated = mixture.sample(count: 2500, using: &s)
    let r = try AdaGANCoverage.compute(real: real, generated: generated)
    #expect(r.coverage >= 0.9, "C = \(r.coverage)")
    let cv = try AdaGANCoverage.compute(real: real, generated: generated.slice(axis: 0, 0..<500),
                                        bandwidth: .crossValidated(grid: nil, folds: 5))
    #expect(cv.coverage >= 0.9, "C = \(cv.coverage) with h = \(cv.bandwidth)")
}

@Test func generatorOnOneModeCoversAboutOneModesShare() throws {
    var s = RandomStream(seed: 15)
    let m = GaussianMixture.ring8
    let real = m.sample(count: 4000, using: &s)
    let one = try GaussianMixture(means: [m.means[0]], std: 0.02).sample(count: 2500, using: &s)
    let r = try AdaGANCoverage.compute(real: real, generated: one, bandwidth: .fixed(0.05))
    #expect(r.coverage > 0.08 && r.coverage < 0.17, "C = \(r.coverage)")
}

@Test func coverageRejectsALevelOutsideTheUnitInterval() {
    #expect(throws: MetricError.self) { try AdaGANCoverage.compute(real: Tensor.zeros([3, 2]), generated: Tensor.zeros([3, 2]), level: 1) }
}
