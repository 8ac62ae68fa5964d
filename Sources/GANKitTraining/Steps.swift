import GANKitAutodiff
import GANKitNN
import GANKitTensor

/// The two updates every topology is made of, written once: a discriminator step and a
/// generator's gradient under an objective and a weighting.
public struct GameRules: Sendable {
    public var objective: Objective
    public var weighting: GeneratorWeighting

    public init(objective: Objective, weighting: GeneratorWeighting = .uniform) {
        self.objective = objective
        self.weighting = weighting
    }

    /// Critic outputs for a real and a fake batch; one pass over both when the critic treats
    /// samples independently (no batch statistics), two otherwise.
    func criticOutputs(_ critic: Module, real: Tensor, fake: Tensor) -> (real: Variable, fake: Variable) {
        guard critic.isBatchIndependent else { return (critic(Variable(real)), critic(Variable(fake))) }
        let both = critic(Variable(Tensor.concatenate([real, fake], axis: 0)))
        let n = real.shape[0]
        return (both.slice(axis: 0, 0..<n), both.slice(axis: 0, n..<(n + fake.shape[0])))
    }

    /// Gradients of the discriminator's loss (with penalty) on one real and one fake batch.
    public func discriminatorGradients(_ critic: Module, real: Tensor, fake: Tensor, penaltyStream: inout RandomStream)
        -> (gradients: [String: Tensor], loss: Float, penalty: Float?) {
        let outputs = criticOutputs(critic, real: real, fake: fake)
        var loss = objective.discriminatorLoss(real: outputs.real, fake: outputs.fake)
        var penaltyValue: Float?
        if let penalty = objective.penalty(critic: critic, real: real, fake: fake, using: &penaltyStream) {
            penaltyValue = penalty.value.scalar
            loss = loss + penalty * objective.penaltyWeight
        }
        return (critic.gradients(of: loss), loss.value.scalar, penaltyValue)
    }

    /// One discriminator update: gradients, optimizer step, and the objective's post-step rule.
    /// `isLast`: the player's optimizer is not used again (see `Player.lastUpdate`).
    @discardableResult
    public func discriminatorStep(_ player: Player, real: Tensor, fake: Tensor, penaltyStream: inout RandomStream,
                                  isLast: Bool = false) -> (loss: Float, penalty: Float?) {
        let (gradients, loss, penalty) = discriminatorGradients(player.network, real: real, fake: fake, penaltyStream: &penaltyStream)
        if isLast { player.lastUpdate(gradients) } else { player.update(gradients) }
        objective.afterDiscriminatorUpdate(player.network)
        return (loss, penalty)
    }

    /// Gradients of the generator's weighted loss Σ_i w_i·ℓ_G(z_i) against `critic`; the weights
    /// are constants (no gradient flows through them) and no gradient of the critic's own
    /// parameters is computed.
    public func generatorGradients(_ generator: Module, against critic: Module, noise: Tensor)
        -> (gradients: [String: Tensor], loss: Float, weights: [Float], overflows: Int) {
        let fake = generator(Variable(noise))
        let output = critic(fake)
        let (weights, overflows) = weighting.weights(logits: output.value.scalars)
        let perSample = objective.generatorLossPerSample(output)
        let loss = (perSample * Variable(Tensor(shape: [weights.count], values: weights))).sum()
        return (generator.gradients(of: loss), loss.value.scalar, weights, overflows)
    }
}
