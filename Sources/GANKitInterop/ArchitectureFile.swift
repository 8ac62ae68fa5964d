import Foundation
import GANKitNN
import GANKitTensor

/// The documented, versioned description of one exported network (`docs/formats.md`): every
/// layer with its explicit parameters and tensor names, the input and output shapes, the noise a
/// generator expects and the range its samples lie in. It is what another framework needs to
/// rebuild the network, and nothing of GANKit's internal configuration types.
public struct ArchitectureFile: Codable, Equatable, Sendable {
    /// The value of `format` in every file.
    public static let formatName = "gankit.network"
    /// The version this GANKit writes and reads. Version 1 is the first; GANKit's exports before it
    /// (a sidecar with `generator`, `iteration`, `network`, `weights` keys) are version 0.
    public static let currentVersion = 1

    public enum Role: String, Codable, Sendable { case generator, discriminator }

    /// The noise a generator's input is drawn from.
    public struct Noise: Codable, Equatable, Sendable {
        /// `normal` (mean 0, standard deviation 1 in every dimension) or `uniform` (on [−1, 1]).
        public var distribution: String
        public var dimension: Int
        public init(distribution: String = "normal", dimension: Int) {
            self.distribution = distribution
            self.dimension = dimension
        }
    }

    public struct Input: Codable, Equatable, Sendable {
        /// One sample's shape, without the batch axis.
        public var shape: [Int]
        /// A generator's noise; nil for a discriminator, whose input is a sample.
        public var noise: Noise?
        public init(shape: [Int], noise: Noise? = nil) {
            self.shape = shape
            self.noise = noise
        }
    }

    public struct Output: Codable, Equatable, Sendable {
        public var shape: [Int]
        /// The interval a generator's samples lie in (`[-1, 1]` for images after tanh: pixel
        /// value = (x + 1) / 2 · 255); nil when unbounded.
        public var range: [Float]?
        /// What a discriminator's single output means under its objective: `logit` (σ of it is
        /// the probability of real), `critic` (a Wasserstein critic's score) or `score` (least squares).
        public var meaning: String?
        public init(shape: [Int], range: [Float]? = nil, meaning: String? = nil) {
            self.shape = shape
            self.range = range
            self.meaning = meaning
        }
    }

    /// One layer: its kind and parameters (`LayerDescription`), the `nn.Sequential` index that
    /// prefixes its tensors, and the shape of one sample after it.
    public struct Layer: Codable, Equatable, Sendable {
        public var name: String
        public var operation: LayerDescription
        /// Full tensor names in the weights file, in order (`3.weight`, `3.bias`, …).
        public var tensors: [String]
        public var outputShape: [Int]

        private enum Key: String, CodingKey { case name, tensors, outputShape = "output_shape" }

        public init(name: String, description: LayerDescription, outputShape: [Int]) {
            self.name = name
            self.operation = description
            self.tensors = description.tensorNames.map { "\(name).\($0)" }
            self.outputShape = outputShape
        }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: Key.self)
            name = try c.decode(String.self, forKey: .name)
            tensors = try c.decode([String].self, forKey: .tensors)
            outputShape = try c.decode([Int].self, forKey: .outputShape)
            operation = try LayerDescription(from: decoder)
        }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: Key.self)
            try c.encode(name, forKey: .name)
            try c.encode(tensors, forKey: .tensors)
            try c.encode(outputShape, forKey: .outputShape)
            try operation.encode(to: encoder)
        }
    }

    /// Where the weights came from (informative only).
    public struct Source: Codable, Equatable, Sendable {
        public var run: String?
        public var player: String?
        public var iteration: Int?
        public var objective: String?
        public init(run: String? = nil, player: String? = nil, iteration: Int? = nil, objective: String? = nil) {
            self.run = run
            self.player = player
            self.iteration = iteration
            self.objective = objective
        }
    }

    public var format: String
    public var version: Int
    public var role: Role
    public var input: Input
    public var output: Output
    public var layers: [Layer]
    public var source: Source

    /// Describes `network`, a `Sequential` of layers the format can express.
    ///
    /// - Parameters:
    ///   - inputShape: one input sample's shape (the noise dimension for a generator).
    ///   - outputRange: a generator's sample range, nil when unbounded.
    ///   - discriminatorOutput: what a discriminator's output means (see `Output.meaning`).
    public init(describing network: Sequential, role: Role, inputShape: [Int], noise: Noise? = nil, outputRange: [Float]? = nil,
                discriminatorOutput: String? = nil, source: Source = Source()) throws(InteropError) {
        var shape = inputShape
        var layers: [Layer] = []
        for (index, module) in network.layers.enumerated() {
            guard let description = module.layerDescription else {
                throw .unsupported("layer \(index) (\(type(of: module))) has no description in the architecture file format")
            }
            guard let next = description.outputShape(for: shape) else {
                throw .unsupported("layer \(index) (\(description.kind)) does not accept a sample of shape \(shape)")
            }
            layers.append(Layer(name: "\(index)", description: description, outputShape: next))
            shape = next
        }
        self.format = Self.formatName
        self.version = Self.currentVersion
        self.role = role
        self.input = Input(shape: inputShape, noise: noise)
        self.output = Output(shape: shape, range: outputRange, meaning: role == .discriminator ? discriminatorOutput : nil)
        self.layers = layers
        self.source = source
    }

    /// Reads a file, refusing other formats and versions with a message that names them.
    public static func decode(_ data: Data, file: String) throws(InteropError) -> ArchitectureFile {
        let object: [String: Any]
        do {
            guard let o = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw InteropError.invalid("\(file): not a JSON object")
            }
            object = o
        } catch let error as InteropError { throw error } catch { throw .invalid("\(file): not JSON (\(error.localizedDescription))") }
        guard let format = object["format"] as? String else {
            if object["network"] != nil && object["weights"] != nil {
                throw .invalid("\(file): an architecture file of version 0 (GANKit's export before the format was versioned); "
                    + "this GANKit reads version \(currentVersion): export the run again with `gankit export`")
            }
            throw .invalid("\(file): no 'format' key; not a GANKit architecture file")
        }
        guard format == formatName else { throw .invalid("\(file): format '\(format)', expected '\(formatName)'") }
        guard let version = object["version"] as? Int else { throw .invalid("\(file): no integer 'version'") }
        guard version == currentVersion else {
            throw .invalid("\(file): architecture file version \(version); this GANKit reads version \(currentVersion)")
        }
        let decoded: ArchitectureFile
        do { decoded = try JSONDecoder().decode(ArchitectureFile.self, from: data) } catch {
            throw .invalid("\(file): \(InteropError.describe(error))")
        }
        try decoded.validate(file: file)
        return decoded
    }

    /// The JSON text, keys sorted, human-readable.
    public func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Every field is a plain value: encoding cannot fail.
        return try! encoder.encode(self)
    }

    /// The layers chain: each accepts the previous one's output and states the shape it makes.
    func validate(file: String) throws(InteropError) {
        var shape = input.shape
        for layer in layers {
            guard let next = layer.operation.outputShape(for: shape) else {
                throw .invalid("\(file): layer \(layer.name) (\(layer.operation.kind)) does not accept shape \(shape)")
            }
            guard next == layer.outputShape else {
                throw .invalid("\(file): layer \(layer.name) states output shape \(layer.outputShape), its parameters give \(next)")
            }
            shape = next
        }
        guard shape == output.shape else { throw .invalid("\(file): the layers end in shape \(shape), 'output' states \(output.shape)") }
    }

    /// Checks `tensors` against the layers, name by name and shape by shape.
    public func check(_ tensors: [String: Tensor], file: String) throws(InteropError) {
        let expected = expectedTensorShapes
        for (name, shape) in expected {
            guard let t = tensors[name] else { throw .invalid("\(file): tensor '\(name)' is missing (shape \(shape) expected)") }
            guard t.shape == shape else { throw .invalid("\(file): tensor '\(name)' has shape \(t.shape), the architecture needs \(shape)") }
        }
        let known = Set(expected.map(\.0))
        if let extra = tensors.keys.sorted().first(where: { !known.contains($0) }) {
            throw .invalid("\(file): tensor '\(extra)' does not belong to this architecture")
        }
    }

    /// Every tensor's name and shape, in layer order.
    public var expectedTensorShapes: [(String, [Int])] {
        layers.flatMap { Array(zip($0.tensors, $0.operation.tensorShapes)) }
    }
}

/// A network that cannot be carried to, or read from, another framework's format.
public enum InteropError: Error, CustomStringConvertible, Equatable {
    /// The file is malformed, of another version, or does not fit the architecture.
    case invalid(String)
    /// The network uses something the format cannot express.
    case unsupported(String)

    public var description: String {
        switch self {
        case .invalid(let m), .unsupported(let m): m
        }
    }

    /// A decoding error as a short sentence naming the key path.
    static func describe(_ error: Error) -> String {
        guard let e = error as? DecodingError else { return "\(error)" }
        func path(_ c: [CodingKey]) -> String { c.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined() }
        switch e {
        case .keyNotFound(let key, let ctx): return "key '\(key.stringValue)' missing at \(path(ctx.codingPath).isEmpty ? "top level" : path(ctx.codingPath))"
        case .typeMismatch(_, let ctx), .valueNotFound(_, let ctx), .dataCorrupted(let ctx):
            return "\(ctx.debugDescription) at \(path(ctx.codingPath))"
        @unknown default: return "\(error)"
        }
    }
}
