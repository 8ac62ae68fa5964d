import GANKitTensor

/// A 2-D toy distribution that can be sampled from a seeded stream.
///
/// The toy benchmarks of the papers (rings, grids, the Swiss roll) are all generated on the fly
/// rather than stored, so that a run is defined by its configuration and seed alone.
public protocol ToySampler: Sendable {
    /// `count` points as a tensor of shape `[count, 2]`, drawn from `stream` (which advances).
    func sample(count: Int, using stream: inout RandomStream) -> Tensor
}
