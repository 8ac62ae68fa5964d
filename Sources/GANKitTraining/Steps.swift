import GANKitAutodiff
import GANKitNN
import GANKitTensor

/// The two updates every topology is made of, written once: a discriminator step and a
/// generator's gradient under an objective and a weighting.
public struct GameRules: Sendable {
    public var objective: Objective
    public var weighting: GeneratorWeighting
    /// Data-parallel training: this rank's rows of each batch, whose gradients are summed over the
    /// ranks (`DataParallelGroup`). Then a discriminator's `real` batch is the whole batch and its
    /// `fake` batch this rank's rows of it, and a generator's noise is this rank's rows.
    var shard: BatchShard?

    public init(objective: Objective, weighting: GeneratorWeighting = .uniform) {
        self.objective = objective
        self.weighting = weighting
    }

    /// Critic outputs for real and fake batches, pair by pair; one pass over all of them when the
    /// critic treats samples independently (no batch statistics), one pass per batch otherwise.
    func criticOutputs(_ critic: Module, batches: [(real: Tensor, fake: Tensor)]) -> [(real: Variable, fake: Variable)] {
        guard critic.isBatchIndependent else { return batches.map { (critic(Variable($0.real)), critic(Variable($0.fake))) } }
        let parts = batches.map(\.real) + batches.map(\.fake)
        let slices = Self.slices(critic(Variable(Tensor.concatenate(parts, axis: 0))), sizes: parts.map { $0.shape[0] })
        return batches.indices.map { (slices[$0], slices[batches.count + $0]) }
    }

    /// `whole` cut along its first axis into consecutive parts of `sizes` rows.
    static func slices(_ whole: Variable, sizes: [Int]) -> [Variable] {
        if sizes.count == 1 { return [whole] }
        var start = 0
        return sizes.map { size in
            defer { start += size }
            return whole.slice(axis: 0, start..<(start + size))
        }
    }

    /// Gradients of the discriminator's loss (with penalty) on one real and one fake batch.
    public func discriminatorGradients(_ critic: Module, real: Tensor, fake: Tensor, penaltyStream: inout RandomStream)
        -> (gradients: [String: Tensor], loss: Float, penalty: Float?) {
        var streams = [penaltyStream]
        defer { penaltyStream = streams[0] }
        let r = discriminatorGradients(critic, batches: [(real, fake)], penaltyStreams: &streams)
        return (r.gradients, r.losses[0], r.penalties[0])
    }

    /// Gradients of Σ_k (the discriminator's loss on real and fake batch k, with its penalty
    /// drawn from stream k): SGAN's D0 learns from every local generator's samples at once, and
    /// one pass over all of them multiplies each weight matrix by N batches instead of one.
    public func discriminatorGradients(_ critic: Module, batches: [(real: Tensor, fake: Tensor)], penaltyStreams: inout [RandomStream])
        -> (gradients: [String: Tensor], losses: [Float], penalties: [Float?]) {
        precondition(penaltyStreams.count == batches.count, "one penalty stream per batch pair")
        let outputs = criticOutputs(critic, batches: batches.map { (shard?.mine($0.real) ?? $0.real, $0.fake) })
        var total: Variable?
        var losses: [Float] = [], penalties: [Float?] = []
        for (k, batch) in batches.enumerated() {
            var loss = objective.discriminatorLoss(real: outputs[k].real, fake: outputs[k].fake)
            var penaltyValue: Float?
            if let penalty = objective.penalty(critic: critic, real: batch.real, fake: batch.fake, rows: shard?.rows, using: &penaltyStreams[k]) {
                penaltyValue = penalty.value.scalar * (shard?.fraction ?? 1)
                loss = loss + penalty * objective.penaltyWeight
            }
            if let shard { loss = loss * shard.fraction }
            total = total.map { $0 + loss } ?? loss
            losses.append(loss.value.scalar)
            penalties.append(penaltyValue)
        }
        let gradients = critic.gradients(of: total!)
        guard let shard else { return (gradients, losses, penalties) }
        let summed = shard.group.sum(gradients, scalars: losses + penalties.compactMap { $0 })
        var rest = summed.scalars[losses.count...].makeIterator()
        return (summed.gradients, Array(summed.scalars[..<losses.count]), penalties.map { $0 == nil ? nil : rest.next() })
    }

    /// One discriminator update: gradients, optimizer step, and the objective's post-step rule.
    @discardableResult
    public func discriminatorStep(_ player: Player, real: Tensor, fake: Tensor, penaltyStream: inout RandomStream) -> (loss: Float, penalty: Float?) {
        let (gradients, loss, penalty) = discriminatorGradients(player.network, real: real, fake: fake, penaltyStream: &penaltyStream)
        player.update(gradients)
        objective.afterDiscriminatorUpdate(player.network)
        return (loss, penalty)
    }

    /// Gradients of the generator's weighted loss Σ_i w_i·ℓ_G(z_i) against `critic`; the weights
    /// are constants (no gradient flows through them) and no gradient of the critic's own
    /// parameters is computed.
    public func generatorGradients(_ generator: Module, against critic: Module, noise: Tensor)
        -> (gradients: [String: Tensor], loss: Float, weights: [Float], overflows: Int) {
        let r = generatorGradients(generator, against: [critic], noises: [noise])
        return (r.gradients, r.losses[0], r.weights[0], r.overflows[0])
    }

    /// Gradients of Σ_k (the generator's weighted loss of noise batch k against critic k), each
    /// batch weighted on its own: SGAN's G0 learns from every messenger at once. One pass of the
    /// generator over all batches when it treats samples independently.
    public func generatorGradients(_ generator: Module, against critics: [Module], noises: [Tensor])
        -> (gradients: [String: Tensor], losses: [Float], weights: [[Float]], overflows: [Int]) {
        precondition(critics.count == noises.count, "one noise batch per critic")
        let fakes = generator.isBatchIndependent && noises.count > 1
            ? Self.slices(generator(Variable(Tensor.concatenate(noises, axis: 0))), sizes: noises.map { $0.shape[0] })
            : noises.map { generator(Variable($0)) }
        var total: Variable?
        var losses: [Float] = [], allWeights: [[Float]] = [], overflows: [Int] = []
        for (critic, fake) in zip(critics, fakes) {
            let output = critic(fake)
            let (weights, overflow) = weighting.weights(logits: wholeBatch(output.value.scalars))
            let mine = shard.map { Array(weights[$0.rows]) } ?? weights
            let perSample = objective.generatorLossPerSample(output)
            let loss = (perSample * Variable(Tensor(shape: [mine.count], values: mine))).sum()
            total = total.map { $0 + loss } ?? loss
            losses.append(loss.value.scalar)
            allWeights.append(weights)
            overflows.append(overflow)
        }
        let gradients = generator.gradients(of: total!)
        guard let shard else { return (gradients, losses, allWeights, overflows) }
        let summed = shard.group.sum(gradients, scalars: losses)
        return (summed.gradients, summed.scalars, allWeights, overflows)
    }

    /// The L2 norm of `gradients` over every parameter, summed in a fixed order (parameters by
    /// name; within one, 16 float lanes, then the tail) so that it repeats bit for bit. It runs
    /// every iteration, so it is one vector pass per tensor.
    public static func norm(of gradients: [String: Tensor]) -> Float {
        var total = 0.0
        for name in gradients.keys.sorted() {
            gradients[name]!.withUnsafeBufferPointer { p in
                guard let base = p.baseAddress else { return }
                let raw = UnsafeRawPointer(base), blocks = p.count / 16
                var lanes = SIMD16<Float>()
                for b in 0..<blocks {
                    let v = raw.loadUnaligned(fromByteOffset: 64 &* b, as: SIMD16<Float>.self)
                    lanes += v * v
                }
                var sum = Double(lanes.sum())
                for i in (16 * blocks)..<p.count { sum += Double(p[i]) * Double(p[i]) }
                total += sum
            }
        }
        return Float(total.squareRoot())
    }

    /// The critic's outputs on the whole batch, given this rank's: the weights are normalised
    /// over the whole batch (uniform weights need only its size).
    private func wholeBatch(_ logits: [Float]) -> [Float] {
        guard let shard else { return logits }
        return weighting == .uniform ? [Float](repeating: 0, count: shard.batchSize) : shard.group.gather(logits)
    }
}
