import GANKitTraining
import Testing

/// Bad configurations are rejected before training, naming the option.
struct TrainingConfigurationTests {
    static func rejected(_ c: TrainingConfiguration, dataShape: [Int]? = nil) -> ConfigurationError? {
        do { try c.validate(dataShape: dataShape); return nil } catch { return error }
    }

    @Test func zeroPairsNamesPairs() {
        #expect(Self.rejected(TrainingConfiguration(topology: .sgan(SGANOptions(pairs: 0))))?.option == "pairs")
        #expect(Self.rejected(TrainingConfiguration(topology: .ensemble(pairs: 0)))?.option == "pairs")
    }

    @Test(arguments: [Float(-0.1), 1, 1.5, .nan])
    func betaOutsideUnitIntervalNamesBeta(_ beta: Float) {
        let error = Self.rejected(TrainingConfiguration(weighting: .wegan(beta: beta)))
        #expect(error?.option == "beta")
        #expect(error?.description.contains("[0, 1)") == true)
    }

    @Test func iwganNeedsProbabilisticOutput() {
        for kind in [ObjectiveKind.wgan, .wganGP, .hinge, .leastSquares] {
            #expect(Self.rejected(TrainingConfiguration(objective: Objective(kind), weighting: .iwgan))?.option == "weighting")
        }
        #expect(Self.rejected(TrainingConfiguration(objective: Objective(.minimax), weighting: .iwgan)) == nil)
    }

    @Test func mismatchedNetworkShapesAreRejected() {
        #expect(Self.rejected(TrainingConfiguration(), dataShape: [1, 28, 28])?.option == "dataset")
        var dcgan = TrainingConfiguration()
        dcgan.networks = NetworkConfiguration(architecture: .dcgan(width: 8), latentDimension: 10, sampleShape: [2])
        #expect(Self.rejected(dcgan)?.option == "architecture")
    }

    @Test func otherNonsenseIsRejected() {
        #expect(Self.rejected(TrainingConfiguration(batchSize: 0))?.option == "batch-size")
        #expect(Self.rejected(TrainingConfiguration(discriminatorSteps: 0))?.option == "discriminator-steps")
        #expect(Self.rejected(TrainingConfiguration(threads: 0))?.option == "threads")
        #expect(Self.rejected(TrainingConfiguration(generatorOptimizer: .adam(learningRate: -1)))?.option == "learning-rate")
        #expect(Self.rejected(TrainingConfiguration()) == nil)
    }

    @Test func configurationRoundTripsThroughJSON() throws {
        let c = TrainingConfiguration(objective: Objective(.wganGP), weighting: .wegan(beta: 0.3),
                                      topology: .sgan(SGANOptions(pairs: 5, messengers: false)), seed: 42)
        let data = try JSONEncoder().encode(c)
        #expect(try JSONDecoder().decode(TrainingConfiguration.self, from: data) == c)
    }
}

import Foundation
