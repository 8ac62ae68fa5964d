/// One layer of a `Sequential` with every parameter that fixes its function, as the architecture
/// file (`docs/formats.md`) writes it, so that another framework can rebuild the net without
/// guessing a default (BatchNorm's eps, a transposed convolution's padding, a LeakyReLU's slope).
///
/// Encoded as a JSON object with a `kind` key and snake_case parameters, e.g.
/// `{"kind": "linear", "in_features": 100, "out_features": 512, "bias": true}`.
public enum LayerDescription: Equatable, Sendable {
    /// `y = x Wᵀ + b`, weight `[out, in]`.
    case linear(inFeatures: Int, outFeatures: Int, bias: Bool)
    /// Square kernels, symmetric zero padding; weight `[out, in, k, k]`.
    case conv2d(inChannels: Int, outChannels: Int, kernelSize: Int, stride: Int, padding: Int, bias: Bool)
    /// Along the last axis of `[N, C, L]`, stride 1; weight `[out, in, k]`.
    case conv1d(inChannels: Int, outChannels: Int, kernelSize: Int, padding: Int, bias: Bool)
    /// Weight `[in, out, k, k]`; output side `(H − 1)·stride − 2·padding + k + outputPadding`.
    case convTranspose2d(inChannels: Int, outChannels: Int, kernelSize: Int, stride: Int, padding: Int, outputPadding: Int, bias: Bool)
    /// Over the channel axis of `[N, C]` or `[N, C, H, W]`, biased variance; running statistics
    /// `running_var` are unbiased, as in PyTorch.
    case batchNorm(features: Int, epsilon: Float, momentum: Float)
    case relu
    case leakyReLU(slope: Float)
    case tanh
    case sigmoid
    /// No operation (an output activation of `identity`); kept so that layer indices, and so
    /// tensor names, match the network's.
    case identity
    /// Each sample is reshaped to `shape`; `[-1]` flattens.
    case reshape(shape: [Int])
    /// Softmax along `axis` of one sample (0: the channels).
    case softmax(axis: Int)
    /// `x + scale · body(x)`; the body's tensors are named `body.<index>.<tensor>`.
    indirect case residual(scale: Float, body: [LayerDescription])

    /// The layer's kind as the file names it.
    public var kind: String {
        switch self {
        case .linear: "linear"
        case .conv2d: "conv2d"
        case .conv1d: "conv1d"
        case .convTranspose2d: "conv_transpose2d"
        case .batchNorm: "batch_norm"
        case .relu: "relu"
        case .leakyReLU: "leaky_relu"
        case .tanh: "tanh"
        case .sigmoid: "sigmoid"
        case .identity: "identity"
        case .reshape: "reshape"
        case .softmax: "softmax"
        case .residual: "residual"
        }
    }

    /// The names of the layer's tensors below its own prefix, in file order.
    public var tensorNames: [String] {
        switch self {
        case .linear(_, _, let bias), .conv2d(_, _, _, _, _, let bias), .convTranspose2d(_, _, _, _, _, _, let bias),
             .conv1d(_, _, _, _, let bias):
            bias ? ["weight", "bias"] : ["weight"]
        case .batchNorm: ["weight", "bias", "running_mean", "running_var"]
        case .residual(_, let body):
            body.enumerated().flatMap { index, layer in layer.tensorNames.map { "body.\(index).\($0)" } }
        default: []
        }
    }

    /// The shapes of `tensorNames`' tensors, in the same order.
    public var tensorShapes: [[Int]] {
        switch self {
        case let .linear(i, o, bias): [[o, i]] + (bias ? [[o]] : [])
        case let .conv1d(i, o, k, _, bias): [[o, i, k]] + (bias ? [[o]] : [])
        case let .conv2d(i, o, k, _, _, bias): [[o, i, k, k]] + (bias ? [[o]] : [])
        case let .convTranspose2d(i, o, k, _, _, _, bias): [[i, o, k, k]] + (bias ? [[o]] : [])
        case .batchNorm(let f, _, _): [[f], [f], [f], [f]]
        case .residual(_, let body): body.flatMap(\.tensorShapes)
        default: []
        }
    }

    /// The shape of one sample after this layer, given the shape before it; nil when the input
    /// does not fit the layer.
    public func outputShape(for input: [Int]) -> [Int]? {
        switch self {
        case let .linear(inFeatures, outFeatures, _):
            return input == [inFeatures] ? [outFeatures] : nil
        case let .conv2d(inChannels, outChannels, k, stride, padding, _):
            guard input.count == 3, input[0] == inChannels, stride > 0 else { return nil }
            let h = (input[1] + 2 * padding - k) / stride + 1, w = (input[2] + 2 * padding - k) / stride + 1
            return h > 0 && w > 0 ? [outChannels, h, w] : nil
        case let .conv1d(inChannels, outChannels, k, padding, _):
            guard input.count == 2, input[0] == inChannels else { return nil }
            let l = input[1] + 2 * padding - k + 1
            return l > 0 ? [outChannels, l] : nil
        case let .convTranspose2d(inChannels, outChannels, k, stride, padding, outputPadding, _):
            guard input.count == 3, input[0] == inChannels else { return nil }
            let h = (input[1] - 1) * stride - 2 * padding + k + outputPadding
            let w = (input[2] - 1) * stride - 2 * padding + k + outputPadding
            return h > 0 && w > 0 ? [outChannels, h, w] : nil
        case .batchNorm(let features, _, _):
            return (input.count == 1 || input.count == 3) && input[0] == features ? input : nil
        case .softmax(let axis):
            return axis >= 0 && axis < input.count ? input : nil
        case .residual(_, let body):
            var shape = input
            for layer in body {
                guard let next = layer.outputShape(for: shape) else { return nil }
                shape = next
            }
            return shape == input ? input : nil
        case .relu, .leakyReLU, .tanh, .sigmoid, .identity:
            return input
        case .reshape(let shape):
            let count = input.reduce(1, *)
            if shape == [-1] { return [count] }
            return shape.reduce(1, *) == count ? shape : nil
        }
    }
}

extension LayerDescription: Codable {
    private enum Key: String, CodingKey {
        case kind, inFeatures = "in_features", outFeatures = "out_features", inChannels = "in_channels", outChannels = "out_channels"
        case kernelSize = "kernel_size", stride, padding, outputPadding = "output_padding", bias, features, eps, momentum, slope, shape
        case axis, scale, body
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        let kind = try c.decode(String.self, forKey: .kind)
        func int(_ key: Key) throws -> Int { try c.decode(Int.self, forKey: key) }
        switch kind {
        case "linear":
            self = .linear(inFeatures: try int(.inFeatures), outFeatures: try int(.outFeatures), bias: try c.decode(Bool.self, forKey: .bias))
        case "conv2d":
            self = .conv2d(inChannels: try int(.inChannels), outChannels: try int(.outChannels), kernelSize: try int(.kernelSize),
                           stride: try int(.stride), padding: try int(.padding), bias: try c.decode(Bool.self, forKey: .bias))
        case "conv1d":
            self = .conv1d(inChannels: try int(.inChannels), outChannels: try int(.outChannels), kernelSize: try int(.kernelSize),
                           padding: try int(.padding), bias: try c.decode(Bool.self, forKey: .bias))
        case "conv_transpose2d":
            self = .convTranspose2d(inChannels: try int(.inChannels), outChannels: try int(.outChannels), kernelSize: try int(.kernelSize),
                                    stride: try int(.stride), padding: try int(.padding), outputPadding: try int(.outputPadding),
                                    bias: try c.decode(Bool.self, forKey: .bias))
        case "batch_norm":
            self = .batchNorm(features: try int(.features), epsilon: try c.decode(Float.self, forKey: .eps),
                              momentum: try c.decode(Float.self, forKey: .momentum))
        case "relu": self = .relu
        case "leaky_relu": self = .leakyReLU(slope: try c.decode(Float.self, forKey: .slope))
        case "tanh": self = .tanh
        case "sigmoid": self = .sigmoid
        case "identity": self = .identity
        case "reshape": self = .reshape(shape: try c.decode([Int].self, forKey: .shape))
        case "softmax": self = .softmax(axis: try int(.axis))
        case "residual": self = .residual(scale: try c.decode(Float.self, forKey: .scale), body: try c.decode([LayerDescription].self, forKey: .body))
        default:
            throw DecodingError.dataCorruptedError(forKey: .kind, in: c, debugDescription: "unknown layer kind '\(kind)'")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(kind, forKey: .kind)
        switch self {
        case let .linear(i, o, bias):
            try c.encode(i, forKey: .inFeatures); try c.encode(o, forKey: .outFeatures); try c.encode(bias, forKey: .bias)
        case let .conv2d(i, o, k, s, p, bias):
            try c.encode(i, forKey: .inChannels); try c.encode(o, forKey: .outChannels); try c.encode(k, forKey: .kernelSize)
            try c.encode(s, forKey: .stride); try c.encode(p, forKey: .padding); try c.encode(bias, forKey: .bias)
        case let .conv1d(i, o, k, p, bias):
            try c.encode(i, forKey: .inChannels); try c.encode(o, forKey: .outChannels); try c.encode(k, forKey: .kernelSize)
            try c.encode(p, forKey: .padding); try c.encode(bias, forKey: .bias)
        case let .convTranspose2d(i, o, k, s, p, op, bias):
            try c.encode(i, forKey: .inChannels); try c.encode(o, forKey: .outChannels); try c.encode(k, forKey: .kernelSize)
            try c.encode(s, forKey: .stride); try c.encode(p, forKey: .padding); try c.encode(op, forKey: .outputPadding)
            try c.encode(bias, forKey: .bias)
        case let .batchNorm(features, eps, momentum):
            try c.encode(features, forKey: .features); try c.encode(eps, forKey: .eps); try c.encode(momentum, forKey: .momentum)
        case .leakyReLU(let slope): try c.encode(slope, forKey: .slope)
        case .reshape(let shape): try c.encode(shape, forKey: .shape)
        case .softmax(let axis): try c.encode(axis, forKey: .axis)
        case let .residual(scale, body): try c.encode(scale, forKey: .scale); try c.encode(body, forKey: .body)
        case .relu, .tanh, .sigmoid, .identity: break
        }
    }
}
