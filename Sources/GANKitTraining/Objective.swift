import GANKitAutodiff
import GANKitNN
import GANKitTensor

/// The GAN objectives GANKit trains with. Each is a value the one training loop is parameterised
/// by: it says how the discriminator's and the generator's losses are computed, and what happens
/// after a discriminator update (WGAN's clipping).
public enum ObjectiveKind: String, Codable, Sendable, CaseIterable {
    /// The original minimax game (SGAN's eq. 1): G minimises log(1 − D(G(z))).
    case minimax
    /// The non-saturating variant: G maximises log D(G(z)).
    case nonSaturating = "non-saturating"
    /// WGAN with weight clipping (Arjovsky et al. 2017).
    case wgan
    /// WGAN with gradient penalty at random interpolates (Gulrajani et al. 2017).
    case wganGP = "wgan-gp"
    /// DRAGAN: the GAN loss plus a gradient penalty around perturbed real samples (Kodali et al.).
    case dragan
    /// Hinge loss (Lim & Ye 2017; Miyato et al. 2018).
    case hinge
    /// Least squares (Mao et al. 2017).
    case leastSquares = "lsgan"

    /// Discriminator steps per generator step (I_D) by default: 5 for the Wasserstein critics.
    public var defaultDiscriminatorSteps: Int { self == .wgan || self == .wganGP ? 5 : 1 }

    /// Whether D's output is a logit of a probability (IWGAN weights need it).
    public var hasProbabilisticOutput: Bool { [.minimax, .nonSaturating, .dragan].contains(self) }

    /// Whether the discriminator's loss differentiates through ∇ₓD (so D must not use BatchNorm).
    public var usesGradientPenalty: Bool { self == .wganGP || self == .dragan }

    /// The optimizer settings of the objective's authors.
    public var defaultOptimizer: OptimizerConfiguration {
        switch self {
        case .wgan: .rmsprop(learningRate: 5e-5)
        case .wganGP: .adam(learningRate: 1e-4, beta1: 0.5, beta2: 0.9)
        case .dragan: .adam(learningRate: 1e-4, beta1: 0.5, beta2: 0.9)
        case .minimax, .nonSaturating, .hinge, .leastSquares: .adam(learningRate: 2e-4, beta1: 0.5, beta2: 0.999)
        }
    }
}

/// An objective with its constants (penalty weight λ, DRAGAN's c, WGAN's clipping bound).
public struct Objective: Codable, Sendable, Equatable {
    public var kind: ObjectiveKind
    /// λ, the weight of a gradient penalty (10 in both papers that use one).
    public var penaltyWeight: Float
    /// DRAGAN's perturbation scale c.
    public var draganScale: Float
    /// WGAN's clipping bound c: weights are clipped to [−c, c] after each critic update.
    public var clipValue: Float

    public init(_ kind: ObjectiveKind, penaltyWeight: Float = 10, draganScale: Float = 0.5, clipValue: Float = 0.01) {
        self.kind = kind
        self.penaltyWeight = penaltyWeight
        self.draganScale = draganScale
        self.clipValue = clipValue
    }

    /// The discriminator's loss on critic outputs for real and fake batches, without penalty.
    public func discriminatorLoss(real: Variable, fake: Variable) -> Variable {
        switch kind {
        case .minimax, .nonSaturating, .dragan:
            Losses.binaryCrossEntropyWithLogits(real, label: 1).mean() + Losses.binaryCrossEntropyWithLogits(fake, label: 0).mean()
        case .wgan, .wganGP:
            fake.mean() - real.mean()
        case .hinge:
            (1 - real).relu().mean() + (fake + 1).relu().mean()
        case .leastSquares:
            (real - 1).square().mean() * 0.5 + fake.square().mean() * 0.5
        }
    }

    /// The generator's loss for each fake sample, ℓ_G(z_i), from the critic's outputs `[m, 1]`;
    /// the generator minimises Σ_i w_i·ℓ_G(z_i) (uniform w_i = 1/m is the usual mean).
    public func generatorLossPerSample(_ fake: Variable) -> Variable {
        let f = fake.reshaped([fake.shape[0]])
        return switch kind {
        case .minimax: -f.softplus()  // log(1 − σ(f))
        case .nonSaturating, .dragan: (-f).softplus()  // −log σ(f)
        case .wgan, .wganGP, .hinge: -f
        case .leastSquares: (f - 1).square() * 0.5
        }
    }

    /// The penalty term of the discriminator's loss (before λ), or nil when the objective has none.
    /// With `rows` (data-parallel training), `real` is the whole batch and `fake` those rows of
    /// it: the random draws and DRAGAN's spread are taken over the whole batch, as in one
    /// process, and the penalty is the mean over those rows.
    func penalty(critic: Module, real: Tensor, fake: Tensor, rows: Range<Int>? = nil, using rng: inout RandomStream) -> Variable? {
        func mine(_ t: Tensor) -> Tensor { rows.map { t.slice(axis: 0, $0) } ?? t }
        switch kind {
        case .wganGP:
            let alpha = GradientPenalty.perSampleUniform(like: real, using: &rng)
            return GradientPenalty.wganGP(critic: critic, real: mine(real), fake: fake, alpha: mine(alpha))
        case .dragan:
            let alpha = GradientPenalty.perSampleUniform(like: real, using: &rng)
            let u = Tensor.uniform(real.shape, using: &rng)
            return GradientPenalty.dragan(critic: critic, real: mine(real), noise: mine(u), alpha: mine(alpha), c: draganScale,
                                          spread: GradientPenalty.standardDeviation(of: real))
        default:
            return nil
        }
    }

    /// What the objective does to the critic after its update: WGAN clips every weight.
    func afterDiscriminatorUpdate(_ critic: Module) {
        guard kind == .wgan else { return }
        let c = clipValue
        for (_, p) in critic.namedParameters {
            p.value.withUnsafeMutableBufferPointer { w in
                for i in 0..<w.count { w[i] = Swift.min(Swift.max(w[i], -c), c) }
            }
        }
    }
}
