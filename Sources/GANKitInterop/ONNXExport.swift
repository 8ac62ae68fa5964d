import Foundation
import GANKitNN
import GANKitTensor
import ONNXProto
import SwiftProtobuf

/// An exported network as a standard ONNX model (opset 17, IR version 8): one input (`z` for a
/// generator, `x` for a discriminator) with a symbolic batch axis `N`, one output, the weights as
/// initializers named as in the safetensors file. BatchNorm runs on its running statistics
/// (inference), as GANKit's eval mode does.
public enum ONNXExport {
    public static let opsetVersion: Int64 = 17
    public static let irVersion: Int64 = 8

    /// The graph's input and output names for a network of `role`.
    public static func inputName(_ role: ArchitectureFile.Role) -> String { role == .generator ? "z" : "x" }
    public static func outputName(_ role: ArchitectureFile.Role) -> String { role == .generator ? "samples" : "score" }

    /// The serialized model. `tensors` must hold every tensor the architecture names (checked).
    public static func model(_ architecture: ArchitectureFile, tensors: [String: Tensor], producerVersion: String = "") throws(InteropError) -> Data {
        try architecture.check(tensors, file: "the network")
        var graph = Onnx_GraphProto()
        graph.name = architecture.source.player ?? architecture.role.rawValue
        graph.input = [valueInfo(inputName(architecture.role), shape: architecture.input.shape)]
        graph.output = [valueInfo(outputName(architecture.role), shape: architecture.output.shape)]
        for (name, _) in architecture.expectedTensorShapes { graph.initializer.append(initializer(name, tensors[name]!)) }

        var current = inputName(architecture.role)
        for (index, layer) in architecture.layers.enumerated() {
            let last = index == architecture.layers.count - 1
            let output = last ? outputName(architecture.role) : "\(layer.name).output"
            emit(layer.operation, name: layer.name, tensors: layer.tensors, input: current, output: output, into: &graph)
            current = output
        }
        if architecture.layers.isEmpty {
            var node = Onnx_NodeProto()
            node.opType = "Identity"
            node.input = [current]
            node.output = [outputName(architecture.role)]
            graph.node.append(node)
        }

        var model = Onnx_ModelProto()
        model.irVersion = irVersion
        var opset = Onnx_OperatorSetIdProto()
        opset.domain = ""
        opset.version = opsetVersion
        model.opsetImport = [opset]
        model.producerName = "GANKit"
        model.producerVersion = producerVersion
        model.docString = "GANKit \(architecture.role.rawValue)" + (architecture.source.player.map { " \($0)" } ?? "")
        model.graph = graph
        var metadata = Onnx_StringStringEntryProto()
        metadata.key = "gankit.architecture"
        metadata.value = String(decoding: architecture.encoded(), as: UTF8.self)
        model.metadataProps = [metadata]
        do { return try model.serializedData() } catch { throw .unsupported("cannot serialize the ONNX model: \(error)") }
    }

    /// Appends the nodes of one layer, reading `input` and writing `output`.
    private static func emit(_ operation: LayerDescription, name: String, tensors: [String], input: String, output: String,
                             into graph: inout Onnx_GraphProto) {
        var node = Onnx_NodeProto()
        node.name = "\(name).\(operation.kind)"
        node.input = [input] + tensors
        node.output = [output]
        switch operation {
        case .linear:
            node.opType = "Gemm"
            node.attribute = [attribute("transB", int: 1)]
        case let .conv1d(_, _, k, padding, _):
            node.opType = "Conv"
            node.attribute = [attribute("kernel_shape", ints: [k]), attribute("strides", ints: [1]), attribute("pads", ints: [padding, padding])]
        case let .conv2d(_, _, k, stride, padding, _):
            node.opType = "Conv"
            node.attribute = [attribute("kernel_shape", ints: [k, k]), attribute("strides", ints: [stride, stride]),
                              attribute("pads", ints: [padding, padding, padding, padding])]
        case let .convTranspose2d(_, _, k, stride, padding, outputPadding, _):
            node.opType = "ConvTranspose"
            node.attribute = [attribute("kernel_shape", ints: [k, k]), attribute("strides", ints: [stride, stride]),
                              attribute("pads", ints: [padding, padding, padding, padding]),
                              attribute("output_padding", ints: [outputPadding, outputPadding])]
        case let .batchNorm(_, epsilon, momentum):
            node.opType = "BatchNormalization"
            // ONNX's momentum weighs the old running value: 1 − PyTorch's.
            node.attribute = [attribute("epsilon", float: epsilon), attribute("momentum", float: 1 - momentum)]
        case .relu: node.opType = "Relu"
        case .leakyReLU(let slope):
            node.opType = "LeakyRelu"
            node.attribute = [attribute("alpha", float: slope)]
        case .tanh: node.opType = "Tanh"
        case .sigmoid: node.opType = "Sigmoid"
        case .identity: node.opType = "Identity"
        case .softmax(let axis):
            node.opType = "Softmax"
            node.attribute = [attribute("axis", int: axis + 1)]
        case .reshape(let shape):
            // 0 copies the batch axis from the input.
            let shapeName = "\(name).shape"
            graph.initializer.append(int64Initializer(shapeName, [0] + shape.map(Int64.init)))
            node.opType = "Reshape"
            node.input = [input, shapeName]
        case let .residual(scale, body):
            // body, then output = input + scale · body.
            var current = input
            var offset = 0
            for (index, layer) in body.enumerated() {
                let count = layer.tensorNames.count
                let next = "\(name).body.\(index).output"
                emit(layer, name: "\(name).body.\(index)", tensors: Array(tensors[offset..<(offset + count)]), input: current, output: next, into: &graph)
                offset += count
                current = next
            }
            var scaleTensor = Onnx_TensorProto()
            scaleTensor.name = "\(name).scale"
            scaleTensor.dataType = Int32(Onnx_TensorProto.DataType.float.rawValue)
            scaleTensor.floatData = [scale]
            graph.initializer.append(scaleTensor)
            var multiply = Onnx_NodeProto()
            multiply.name = "\(name).scale"
            multiply.opType = "Mul"
            multiply.input = [current, scaleTensor.name]
            multiply.output = ["\(name).scaled"]
            graph.node.append(multiply)
            node.opType = "Add"
            node.input = [input, "\(name).scaled"]
        }
        graph.node.append(node)
    }

    private static func valueInfo(_ name: String, shape: [Int]) -> Onnx_ValueInfoProto {
        var tensorType = Onnx_TypeProto.Tensor()
        tensorType.elemType = Int32(Onnx_TensorProto.DataType.float.rawValue)
        var shapeProto = Onnx_TensorShapeProto()
        var batch = Onnx_TensorShapeProto.Dimension()
        batch.dimParam = "N"
        shapeProto.dim = [batch] + shape.map { size in
            var d = Onnx_TensorShapeProto.Dimension()
            d.dimValue = Int64(size)
            return d
        }
        tensorType.shape = shapeProto
        var type = Onnx_TypeProto()
        type.tensorType = tensorType
        var info = Onnx_ValueInfoProto()
        info.name = name
        info.type = type
        return info
    }

    private static func initializer(_ name: String, _ tensor: Tensor) -> Onnx_TensorProto {
        var proto = Onnx_TensorProto()
        proto.name = name
        proto.dataType = Int32(Onnx_TensorProto.DataType.float.rawValue)
        proto.dims = tensor.shape.map(Int64.init)
        var raw = Data(capacity: tensor.count * 4)
        tensor.withUnsafeBufferPointer { b in for v in b { withUnsafeBytes(of: v.bitPattern.littleEndian) { raw.append(contentsOf: $0) } } }
        proto.rawData = raw
        return proto
    }

    private static func int64Initializer(_ name: String, _ values: [Int64]) -> Onnx_TensorProto {
        var proto = Onnx_TensorProto()
        proto.name = name
        proto.dataType = Int32(Onnx_TensorProto.DataType.int64.rawValue)
        proto.dims = [Int64(values.count)]
        proto.int64Data = values
        return proto
    }

    private static func attribute(_ name: String, int: Int) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name
        a.type = .int
        a.i = Int64(int)
        return a
    }

    private static func attribute(_ name: String, ints: [Int]) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name
        a.type = .ints
        a.ints = ints.map(Int64.init)
        return a
    }

    private static func attribute(_ name: String, float: Float) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name
        a.type = .float
        a.f = float
        return a
    }
}
