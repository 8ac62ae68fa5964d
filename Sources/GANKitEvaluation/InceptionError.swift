/// Why the FID Inception network could not be built or run. Every case names the file or tensor,
/// so that the command line can report it as bad input (exit 2).
public enum InceptionError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The weights file could not be read as safetensors.
    case unreadableWeights(file: String, reason: String)
    /// A tensor the network needs is not in the file.
    case missingTensor(file: String, name: String, expectedShape: [Int])
    /// A tensor has another shape than the network's layer.
    case wrongShape(file: String, name: String, expectedShape: [Int], foundShape: [Int])
    /// The file has no `fc` layer, which the 1008-class logits (the Inception score) need.
    case noClassifier(file: String)
    /// Images that are not `[N, 3, H, W]`, or hold no image.
    case badImages(shape: [Int], reason: String)

    public var description: String {
        switch self {
        case let .unreadableWeights(file, reason):
            "Inception weights \(file): \(reason)"
        case let .missingTensor(file, name, expected):
            "Inception weights \(file): tensor '\(name)' is missing (the network expects shape \(expected)); "
                + "convert the official FID weights with scripts/convert-inception-weights"
        case let .wrongShape(file, name, expected, found):
            "Inception weights \(file): tensor '\(name)' has shape \(found), the network expects \(expected)"
        case let .noClassifier(file):
            "Inception weights \(file): no 'fc.weight' and 'fc.bias', which the Inception score's logits need"
        case let .badImages(shape, reason):
            "images of shape \(shape): \(reason)"
        }
    }
}
