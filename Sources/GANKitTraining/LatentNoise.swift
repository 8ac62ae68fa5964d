import GANKitTensor

/// The generator's input: noise z of `dimension` values from `distribution`. Training, evaluation,
/// snapshots and `gankit sample` all draw it here, so a generator is never fed noise it was not
/// trained on.
public struct LatentNoise: Codable, Sendable, Equatable {
    /// Where each value of z comes from.
    public enum Distribution: String, Codable, Sendable, CaseIterable {
        /// Standard normal N(0, 1) (the default; WGAN-GP, SGAN).
        case normal
        /// Uniform on [−1, 1] (DCGAN's original code; WeGAN's CIFAR-10 runs).
        case uniform
    }

    public var dimension: Int
    public var distribution: Distribution

    public init(dimension: Int, distribution: Distribution = .normal) {
        self.dimension = dimension
        self.distribution = distribution
    }

    /// `[count, dimension]` noise vectors.
    public func sample(_ count: Int, using rng: inout RandomStream) -> Tensor {
        switch distribution {
        case .normal: Tensor.normal([count, dimension], using: &rng)
        case .uniform: Tensor.uniform([count, dimension], low: -1, high: 1, using: &rng)
        }
    }
}
