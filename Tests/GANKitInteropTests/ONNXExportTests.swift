import Foundation
import GANKitInterop
import GANKitNN
import GANKitTensor
import GANKitTraining
import ONNXProto
import Testing

@Suite struct ONNXExportTests {
    @Test func dcganGeneratorBecomesOneNodePerLayerWithNamedInitializers() throws {
        let c = ArchitectureFileTests.configuration(.dcgan(width: 8), sampleShape: [1, 28, 28])
        var rng = RandomStream(seed: 1)
        let g = c.networks.makeGenerator(using: &rng)
        let file = try ArchitectureFile.generator(g, configuration: c)
        let model = try Onnx_ModelProto(serializedBytes: try ONNXExport.model(file, tensors: g.stateDictionary))
        #expect(model.irVersion == 8)
        #expect(model.opsetImport.map(\.version) == [17])
        #expect(model.graph.node.map(\.opType) == ["Reshape", "ConvTranspose", "BatchNormalization", "Relu", "ConvTranspose",
                                                   "BatchNormalization", "Relu", "ConvTranspose", "Tanh"])
        #expect(model.graph.input.map(\.name) == ["z"])
        #expect(model.graph.output.map(\.name) == ["samples"])
        #expect(model.graph.output[0].type.tensorType.shape.dim.map(\.dimValue) == [0, 1, 28, 28])
        #expect(model.graph.output[0].type.tensorType.shape.dim[0].dimParam == "N")
        let weight = try #require(model.graph.initializer.first { $0.name == "1.weight" })
        #expect(weight.dims == [16, 32, 7, 7])
        #expect(weight.rawData.count == 16 * 32 * 7 * 7 * 4)
        let bn = try #require(model.graph.node.first { $0.opType == "BatchNormalization" })
        #expect(bn.attribute.first { $0.name == "epsilon" }?.f == 1e-5)
        #expect(model.metadataProps.first?.key == "gankit.architecture")
    }

    @Test func missingTensorsAreRefusedBeforeAnythingIsWritten() throws {
        let c = ArchitectureFileTests.configuration(.mlp(depth: 1, width: 4, activation: .relu), sampleShape: [2])
        var rng = RandomStream(seed: 1)
        let g = c.networks.makeGenerator(using: &rng)
        let file = try ArchitectureFile.generator(g, configuration: c)
        var state = g.stateDictionary
        state["0.bias"] = nil
        #expect(throws: InteropError.self) { try ONNXExport.model(file, tensors: state) }
    }
}
