import Foundation
import GANKitData
import GANKitTensor
import Testing

@Test func ring8PresetHasEightModesOnRadiusTwoWithStd002() {
    let m = GaussianMixture.ring8
    #expect(m.modeCount == 8)
    #expect(m.stds.allSatisfy { $0 == 0.02 })
    for (k, mean) in m.means.enumerated() {
        #expect(abs((mean * mean).sum().squareRoot() - 2) < 1e-12)
        let angle = 2 * Double.pi * Double(k) / 8
        #expect(abs(mean.x - 2 * cos(angle)) < 1e-12 && abs(mean.y - 2 * sin(angle)) < 1e-12)
    }
}

@Test func presetsMatchTheSpec() {
    #expect(GaussianMixture.ring8WeGAN.modeCount == 8)
    #expect(abs(GaussianMixture.ring8WeGAN.stds[0] * GaussianMixture.ring8WeGAN.stds[0] - 0.1) < 1e-12)
    #expect(abs((GaussianMixture.ring8WeGAN.means[3] * GaussianMixture.ring8WeGAN.means[3]).sum() - 9) < 1e-9)
    #expect(GaussianMixture.ring10.modeCount == 10 && GaussianMixture.ring10.stds[0] == 0.02)
    let grid = GaussianMixture.grid25
    #expect(grid.modeCount == 25 && grid.stds[0] == 0.05)
    let xs = Set(grid.means.map(\.x)), ys = Set(grid.means.map(\.y))
    #expect(xs == [-4, -2, 0, 2, 4] && ys == [-4, -2, 0, 2, 4])
}

@Test func samplesAreDeterministicForASeedAndStayNearTheModes() {
    var a = RandomStream(seed: 7), b = RandomStream(seed: 7)
    let x = GaussianMixture.ring8.sample(count: 1000, using: &a)
    let y = GaussianMixture.ring8.sample(count: 1000, using: &b)
    #expect(x.shape == [1000, 2])
    #expect(x.isBitwiseIdentical(to: y))
    let p = x.scalars
    for i in 0..<1000 {
        let r = (Double(p[2 * i]) * Double(p[2 * i]) + Double(p[2 * i + 1]) * Double(p[2 * i + 1])).squareRoot()
        #expect(abs(r - 2) < 0.2)
    }
}

@Test func everyModeIsDrawnWithRoughlyEqualFrequency() {
    var s = RandomStream(seed: 1)
    let m = GaussianMixture.grid25
    let x = m.sample(count: 25_000, using: &s).scalars
    var counts = [Int](repeating: 0, count: 25)
    for i in 0..<25_000 {
        let p = SIMD2(Double(x[2 * i]), Double(x[2 * i + 1]))
        let k = m.means.indices.min { ((m.means[$0] - p) * (m.means[$0] - p)).sum() < ((m.means[$1] - p) * (m.means[$1] - p)).sum() }!
        counts[k] += 1
    }
    #expect(counts.allSatisfy { (800...1200).contains($0) })
}

@Test func logDensityMatchesTheClosedFormAtAMode() {
    let m = GaussianMixture.ring8
    // At a mean the other modes contribute nothing measurable: log(1/8 · 1/(2π σ²)).
    let expected = log(1.0 / 8) - log(2 * Double.pi * 0.02 * 0.02)
    #expect(abs(m.logDensity(m.means[0]) - expected) < 1e-9)
    // Far away the value is finite thanks to log-sum-exp.
    #expect(m.logDensity(SIMD2(100, 100)).isFinite)
}

@Test func invalidOptionsAreErrorsNamingTheOption() {
    #expect(throws: DataError.self) { try GaussianMixture.ring(modes: 0, radius: 2, std: 0.02) }
    do {
        _ = try GaussianMixture.grid(side: 5, spacing: 2, std: -1)
        Issue.record("negative std accepted")
    } catch let error as DataError {
        #expect(error.description.contains("std"))
    } catch { Issue.record("unexpected \(error)") }
}
