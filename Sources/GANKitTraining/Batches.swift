import GANKitTensor

/// Every batch an iteration consumes, by the role it plays; the trainer draws each from the
/// pair's streams unless a `BatchInjector` supplies it (tests reproduce PyTorch's iterations by
/// injecting PyTorch's batches exactly where the trainer would draw its own).
public enum BatchRole: Hashable, Sendable {
    case discriminatorReal, discriminatorNoise, generatorNoise
    /// SGAN: a messenger's real batch and G0's noise for its update.
    case messengerReal, messengerNoise
    /// SGAN: G0's noise against messenger n.
    case globalGeneratorNoise
    /// SGAN: D0's real batch and local generator n's noise.
    case globalDiscriminatorReal, globalDiscriminatorNoise
}

/// Supplies given batches in place of drawn ones.
public protocol BatchInjector: Sendable {
    /// The batch for `role` of pair `pair` (nil: draw as usual).
    func batch(_ role: BatchRole, pair: Int) -> Tensor?
}

/// A fixed table of batches, keyed by role and pair.
public struct FixedBatches: BatchInjector {
    public var table: [BatchKey: Tensor]

    public struct BatchKey: Hashable, Sendable {
        public let role: BatchRole
        public let pair: Int
        public init(_ role: BatchRole, pair: Int) { self.role = role; self.pair = pair }
    }

    public init(_ table: [BatchKey: Tensor] = [:]) { self.table = table }

    public func batch(_ role: BatchRole, pair: Int) -> Tensor? { table[BatchKey(role, pair: pair)] }
}
