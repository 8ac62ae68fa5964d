import Foundation
import GANKitData
import GANKitTensor
import Testing

@Test func swissRollPointsLieOnTheScaledSpiral() throws {
    var s = RandomStream(seed: 3)
    let roll = try SwissRoll(scale: 7.5, noise: 0)
    let x = roll.sample(count: 2000, using: &s).scalars
    for i in 0..<2000 {
        // Without noise the radius times the scale is t, which lies in [1.5π, 4.5π].
        let r = (Double(x[2 * i]) * Double(x[2 * i]) + Double(x[2 * i + 1]) * Double(x[2 * i + 1])).squareRoot() * 7.5
        #expect(r >= 1.5 * Double.pi - 1e-3 && r <= 4.5 * Double.pi + 1e-3)
        let t = r
        #expect(abs(Double(x[2 * i]) * 7.5 - t * cos(t)) < 2e-3)
    }
}

@Test func swissRollNoiseIsAddedBeforeScaling() throws {
    var a = RandomStream(seed: 5), b = RandomStream(seed: 5)
    let clean = try SwissRoll(scale: 7.5, noise: 0).sample(count: 20_000, using: &a).scalars
    let noisy = SwissRoll.standard.sample(count: 20_000, using: &b).scalars
    var sum = 0.0
    for i in 0..<clean.count { let d = Double(noisy[i] - clean[i]); sum += d * d }
    let std = (sum / Double(clean.count)).squareRoot()
    #expect(abs(std - 0.25 / 7.5) < 0.002)
}

@Test func swissRollRejectsANonPositiveScale() {
    #expect(throws: DataError.self) { try SwissRoll(scale: 0) }
}
