import Foundation
import GANKitInterop
import GANKitNN
import GANKitTensor
import GANKitTraining
import Testing

@Suite struct ArchitectureFileTests {
    static func configuration(_ architecture: Architecture, sampleShape: [Int], objective: ObjectiveKind = .nonSaturating) -> TrainingConfiguration {
        var c = TrainingConfiguration()
        c.objective = Objective(objective)
        c.networks = NetworkConfiguration(architecture: architecture, latentDimension: 16, sampleShape: sampleShape)
        return c
    }

    @Test(arguments: [[1, 28, 28], [3, 32, 32], [3, 64, 64]])
    func dcganGeneratorIsDescribedLayerByLayerWithItsTensors(_ shape: [Int]) throws {
        let c = Self.configuration(.dcgan(width: 8), sampleShape: shape)
        var rng = RandomStream(seed: 1)
        let g = c.networks.makeGenerator(using: &rng)
        let file = try ArchitectureFile.generator(g, configuration: c)
        #expect(file.input.shape == [16])
        #expect(file.input.noise == .init(distribution: "normal", dimension: 16))
        #expect(file.output.shape == shape)
        #expect(file.output.range == [-1, 1])
        #expect(file.layers.first?.operation == .reshape(shape: [16, 1, 1]))
        #expect(file.layers.last?.operation == .tanh)
        // Every tensor of the network is named, with its shape, and nothing else.
        try file.check(g.stateDictionary, file: "test")
        #expect(file.expectedTensorShapes.count == g.stateDictionary.count)
        let bn = try #require(file.layers.first { if case .batchNorm = $0.operation { true } else { false } })
        #expect(bn.operation == .batchNorm(features: bn.outputShape[0], epsilon: 1e-5, momentum: 0.1))
        #expect(bn.tensors == ["\(bn.name).weight", "\(bn.name).bias", "\(bn.name).running_mean", "\(bn.name).running_var"])
    }

    @Test func jsonRoundTripsWithSnakeCaseKindsAndKeys() throws {
        let c = Self.configuration(.dcgan(width: 8), sampleShape: [1, 28, 28], objective: .wganGP)
        var rng = RandomStream(seed: 1)
        let d = c.networks.makeDiscriminator(batchNorm: false, using: &rng)
        let file = try ArchitectureFile.discriminator(d, configuration: c, source: .init(run: "r", player: "D0", iteration: 7))
        #expect(file.output == .init(shape: [1], range: nil, meaning: "critic"))
        let data = file.encoded()
        let text = String(decoding: data, as: UTF8.self)
        for key in ["\"kind\" : \"conv2d\"", "\"in_channels\" : 1", "\"kernel_size\" : 4", "\"slope\" : 0.2", "\"output_shape\"", "\"format\" : \"gankit.network\"", "\"version\" : 1"] {
            #expect(text.contains(key), "\(key) missing")
        }
        #expect(try ArchitectureFile.decode(data, file: "d.json") == file)
    }

    @Test func otherFormatsAndVersionsAreRefusedByName() throws {
        let c = Self.configuration(.mlp(depth: 1, width: 8, activation: .relu), sampleShape: [2])
        var rng = RandomStream(seed: 1)
        let file = try ArchitectureFile.generator(c.networks.makeGenerator(using: &rng), configuration: c)
        var object = try #require(try JSONSerialization.jsonObject(with: file.encoded()) as? [String: Any])
        func message(_ o: [String: Any]) -> String {
            do { _ = try ArchitectureFile.decode(try! JSONSerialization.data(withJSONObject: o), file: "x.json"); return "accepted" } catch { return error.description }
        }
        object["version"] = 2
        #expect(message(object).contains("version 2; this GANKit reads version 1"))
        object["version"] = 1
        object["format"] = "onnx"
        #expect(message(object).contains("format 'onnx'"))
        // GANKit's exports before the format had a version.
        #expect(message(["generator": "G0", "iteration": 3, "network": [:], "weights": "g0.safetensors"]).contains("version 0"))
        object["format"] = "gankit.network"
        var layers = try #require(object["layers"] as? [[String: Any]])
        layers[0]["out_features"] = 9
        object["layers"] = layers
        #expect(message(object).contains("layer 1 (relu)") || message(object).contains("layer 0"), "\(message(object))")
    }

    @Test func tensorsThatDoNotFitAreNamedWithBothShapes() throws {
        let c = Self.configuration(.mlp(depth: 1, width: 8, activation: .relu), sampleShape: [2])
        var rng = RandomStream(seed: 1)
        let g = c.networks.makeGenerator(using: &rng)
        let file = try ArchitectureFile.generator(g, configuration: c)
        var state = g.stateDictionary
        state["2.weight"] = Tensor.zeros([3, 8])
        #expect(throws: InteropError.invalid("w: tensor '2.weight' has shape [3, 8], the architecture needs [2, 8]")) { try file.check(state, file: "w") }
        state["2.weight"] = nil
        #expect(throws: InteropError.invalid("w: tensor '2.weight' is missing (shape [2, 8] expected)")) { try file.check(state, file: "w") }
        state = g.stateDictionary
        state["9.bias"] = Tensor.zeros([1])
        #expect(throws: InteropError.invalid("w: tensor '9.bias' does not belong to this architecture")) { try file.check(state, file: "w") }
    }
}
