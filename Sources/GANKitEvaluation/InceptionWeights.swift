import Foundation
import GANKitSafetensors
import GANKitTensor

/// The FID Inception network's tensors by their names in pytorch-fid's `state_dict`
/// (`Conv2d_1a_3x3.conv.weight`, `Mixed_5b.branch1x1.bn.running_var`, …, `fc.weight`), as
/// `scripts/convert-inception-weights` writes them from the official `pt_inception-2015-12-05`
/// file. Lookups check the shape and name the tensor when it is missing or wrong.
public struct InceptionWeights: Sendable {
    public let tensors: [String: Tensor]
    /// Where the tensors came from, for error messages.
    public let file: String
    /// Makes a tensor the file lacks (random weights); nil for real weights.
    let fill: (@Sendable (_ name: String, _ shape: [Int]) -> Tensor)?

    public init(tensors: [String: Tensor], file: String = "<memory>") {
        self.tensors = tensors
        self.file = file
        self.fill = nil
    }

    /// Random weights of the right shapes, drawn per tensor from `seed` (He-normal convolutions,
    /// BatchNorm statistics near identity, a small `fc`), for benchmarks and tests that need the
    /// network's cost or plumbing without the official file. Their scores mean nothing.
    public static func random(seed: UInt64) -> InceptionWeights {
        InceptionWeights(file: "<random seed \(seed)>") { name, shape in
            var rng = RandomStream(seed: seed).derived(name)
            let fanIn = shape.dropFirst().reduce(1, *)
            switch name.split(separator: ".").last! {
            case "running_var": return Tensor.uniform(shape, low: 0.5, high: 2, using: &rng)
            case "running_mean", "bias": return Tensor.normal(shape, std: 0.1, using: &rng)
            case "weight" where shape.count == 1: return Tensor.uniform(shape, low: 0.6, high: 1.4, using: &rng)
            default: return Tensor.normal(shape, std: (2 / Float(max(1, fanIn))).squareRoot(), using: &rng)
            }
        }
    }

    private init(file: String, fill: @escaping @Sendable (String, [Int]) -> Tensor) {
        self.tensors = [:]
        self.file = file
        self.fill = fill
    }

    /// Reads a safetensors file (float32 tensors).
    public init(contentsOf url: URL) throws(InceptionError) {
        do {
            self.init(tensors: try SafetensorsFile.read(from: url).tensors, file: url.path)
        } catch let error as SafetensorsError {
            throw .unreadableWeights(file: url.path, reason: error.description)
        } catch {
            throw .unreadableWeights(file: url.path, reason: "\(error)")
        }
    }

    func tensor(_ name: String, _ shape: [Int]) throws(InceptionError) -> Tensor {
        if let fill, tensors[name] == nil { return fill(name, shape) }
        guard let t = tensors[name] else { throw .missingTensor(file: file, name: name, expectedShape: shape) }
        guard t.shape == shape else { throw .wrongShape(file: file, name: name, expectedShape: shape, foundShape: t.shape) }
        return t
    }

    /// Whether the file holds any tensor of the `fc` layer (the 1008-class logits).
    var hasClassifier: Bool { fill != nil || tensors["fc.weight"] != nil || tensors["fc.bias"] != nil }
}
