import GANKitTensor

/// How a layer's weights start.
public enum Initialization: Sendable, Equatable, Codable {
    /// PyTorch's default: weights and biases uniform in ±1/√fan_in (Kaiming uniform with a = √5).
    case pytorchDefault
    /// DCGAN's: weights normal(0, std) (std 0.02 in the paper), biases zero; BatchNorm scales
    /// normal(1, std).
    case normal(std: Float)

    public static let dcgan = Initialization.normal(std: 0.02)

    func weight(_ shape: [Int], fanIn: Int, using rng: inout RandomStream) -> Tensor {
        switch self {
        case .pytorchDefault:
            let bound = fanIn > 0 ? 1 / Float(fanIn).squareRoot() : 0
            return Tensor.uniform(shape, low: -bound, high: bound, using: &rng)
        case .normal(let std):
            return Tensor.normal(shape, std: std, using: &rng)
        }
    }

    func bias(_ count: Int, fanIn: Int, using rng: inout RandomStream) -> Tensor {
        switch self {
        case .pytorchDefault:
            let bound = fanIn > 0 ? 1 / Float(fanIn).squareRoot() : 0
            return Tensor.uniform([count], low: -bound, high: bound, using: &rng)
        case .normal:
            return Tensor.zeros([count])
        }
    }
}
