import GANKitAutodiff
import GANKitTensor

/// Batch normalisation over `[N, C]` or `[N, C, H, W]`, as PyTorch's BatchNorm1d/2d: batch
/// statistics (biased variance) in training, running statistics in evaluation; the running
/// variance is updated with the unbiased batch variance, with `momentum` (0.1) as PyTorch.
public final class BatchNorm: Module, @unchecked Sendable {
    public let weight: Parameter
    public let bias: Parameter
    public let runningMean: Buffer
    public let runningVariance: Buffer
    public let momentum: Float
    public let epsilon: Float

    public init(features: Int, momentum: Float = 0.1, epsilon: Float = 1e-5, initialization: Initialization = .pytorchDefault,
                using rng: inout RandomStream) {
        switch initialization {
        case .pytorchDefault: weight = Parameter(Tensor.ones([features]))
        case .normal(let std): weight = Parameter(Tensor.normal([features], mean: 1, std: std, using: &rng))
        }
        bias = Parameter(Tensor.zeros([features]))
        runningMean = Buffer(Tensor.zeros([features]))
        runningVariance = Buffer(Tensor.ones([features]))
        self.momentum = momentum
        self.epsilon = epsilon
        super.init()
    }

    private init(copying other: BatchNorm) {
        weight = Parameter(other.weight.value)
        bias = Parameter(other.bias.value)
        runningMean = Buffer(other.runningMean.value)
        runningVariance = Buffer(other.runningVariance.value)
        momentum = other.momentum
        epsilon = other.epsilon
        super.init()
        setTraining(other.isTraining)
    }

    override public var localParameters: [(String, Parameter)] { [("weight", weight), ("bias", bias)] }
    override public var localBuffers: [(String, Buffer)] { [("running_mean", runningMean), ("running_var", runningVariance)] }
    override public var isBatchIndependent: Bool { !isTraining }
    override public var layerDescription: LayerDescription? {
        .batchNorm(features: weight.value.count, epsilon: epsilon, momentum: momentum)
    }

    override public func forward(_ input: Variable) -> Variable {
        precondition(input.rank == 2 || input.rank == 4, "BatchNorm expects [N, C] or [N, C, H, W], got \(input.shape)")
        let channels = input.shape[1]
        let statShape = input.rank == 2 ? [1, channels] : [1, channels, 1, 1]
        let axes = input.rank == 2 ? [0] : [0, 2, 3]
        guard isTraining else {
            let scale = weight.variable.reshaped(statShape)
            let shift = bias.variable.reshaped(statShape)
            let mean = Variable(runningMean.value.reshaped(statShape))
            let std = Variable(runningVariance.value.reshaped(statShape)).map(epsilon: epsilon)
            return (input - mean) / std * scale + shift
        }
        let count = axes.reduce(1) { $0 * input.shape[$1] }
        let (y, mean, variance) = Variable.batchNormalization(input, scale: weight.variable, shift: bias.variable, epsilon: epsilon)
        let unbiased = Float(count) / Float(max(count - 1, 1))
        runningMean.value = runningMean.value * (1 - momentum) + Tensor(shape: [channels], values: mean) * momentum
        runningVariance.value = runningVariance.value * (1 - momentum) + Tensor(shape: [channels], values: variance) * (momentum * unbiased)
        return y
    }

    override public func copy() -> Module { BatchNorm(copying: self) }
}

private extension Variable {
    /// √(x + ε) of a constant.
    func map(epsilon: Float) -> Variable { Variable(value.map { ($0 + epsilon).squareRoot() }) }
}
