import Foundation
import GANKitData
import GANKitTensor
import Testing

@Test func presetNamesBuildTheSpecsDataSets() throws {
    #expect(try ToyDataset(preset: "ring8") == .ring(modes: 8, radius: 2, std: 0.02))
    #expect(try ToyDataset(preset: "ring8-wegan").mixture() == GaussianMixture.ring8WeGAN)
    #expect(try ToyDataset(preset: "ring10").mixture() == GaussianMixture.ring10)
    #expect(try ToyDataset(preset: "grid25").mixture() == GaussianMixture.grid25)
    #expect(try ToyDataset(preset: "swissroll").mixture() == nil)
    #expect(throws: DataError.self) { try ToyDataset(preset: "ring9") }
}

@Test func toyDatasetRoundTripsThroughJSON() throws {
    for d in [ToyDataset.ring8, .grid(side: 3, spacing: 1.5, std: 0.1), .swissroll] {
        let data = try JSONEncoder().encode(d)
        #expect(try JSONDecoder().decode(ToyDataset.self, from: data) == d)
    }
}

@Test func samplerFromConfigurationDrawsTheSamePointsAsThePreset() throws {
    var a = RandomStream(seed: 11), b = RandomStream(seed: 11)
    let x = try ToyDataset.grid25.makeSampler().sample(count: 64, using: &a)
    let y = GaussianMixture.grid25.sample(count: 64, using: &b)
    #expect(x.isBitwiseIdentical(to: y))
    #expect(throws: DataError.self) { try ToyDataset.ring(modes: 8, radius: 2, std: 0).makeSampler() }
    #expect(throws: DataError.self) { try ToyDataset.swissRoll(scale: -1, noise: 0.25).makeSampler() }
}
