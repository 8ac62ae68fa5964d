import GANKitNN

/// An optimizer and its settings, as a configuration file spells it.
public enum OptimizerConfiguration: Codable, Sendable, Equatable {
    case adam(learningRate: Float, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0)
    case rmsprop(learningRate: Float, alpha: Float = 0.99, epsilon: Float = 1e-8, momentum: Float = 0)
    case sgd(learningRate: Float, momentum: Float = 0)

    public func make() -> any Optimizer {
        switch self {
        case let .adam(lr, b1, b2, eps, wd): Adam(learningRate: lr, beta1: b1, beta2: b2, epsilon: eps, weightDecay: wd)
        case let .rmsprop(lr, alpha, eps, momentum): RMSProp(learningRate: lr, alpha: alpha, epsilon: eps, momentum: momentum)
        case let .sgd(lr, momentum): SGD(learningRate: lr, momentum: momentum)
        }
    }

    public var learningRate: Float {
        get {
            switch self {
            case .adam(let lr, _, _, _, _), .rmsprop(let lr, _, _, _), .sgd(let lr, _): lr
            }
        }
        set {
            switch self {
            case let .adam(_, b1, b2, eps, wd): self = .adam(learningRate: newValue, beta1: b1, beta2: b2, epsilon: eps, weightDecay: wd)
            case let .rmsprop(_, a, eps, m): self = .rmsprop(learningRate: newValue, alpha: a, epsilon: eps, momentum: m)
            case let .sgd(_, m): self = .sgd(learningRate: newValue, momentum: m)
            }
        }
    }
}
