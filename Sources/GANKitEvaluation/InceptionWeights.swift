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

    public init(tensors: [String: Tensor], file: String = "<memory>") {
        self.tensors = tensors
        self.file = file
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
        guard let t = tensors[name] else { throw .missingTensor(file: file, name: name, expectedShape: shape) }
        guard t.shape == shape else { throw .wrongShape(file: file, name: name, expectedShape: shape, foundShape: t.shape) }
        return t
    }

    /// Whether the file holds any tensor of the `fc` layer (the 1008-class logits).
    var hasClassifier: Bool { tensors["fc.weight"] != nil || tensors["fc.bias"] != nil }
}
