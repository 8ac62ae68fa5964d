/// Which players train and how they are connected.
public enum Topology: Codable, Sendable, Equatable {
    /// One generator against one discriminator: standard training.
    case single
    /// SGAN (Chavdarova & Fleuret 2018, Algorithm 1): N local pairs and a global pair that learns
    /// from them (`../shared/spec/sgan.md`).
    case sgan(SGANOptions)
    /// The baseline of SGAN's Fig. 3 (middle column): one pair updated `updates` times per
    /// iteration, for comparisons at equal compute.
    case repeatedPair(updates: Int)
    /// N independent pairs and no global pair: SGAN's local pairs alone (the ensemble whose mode
    /// coverage SGAN's Fig. 2d measures).
    case ensemble(pairs: Int)
}

/// SGAN's options; the defaults are Algorithm 1.
public struct SGANOptions: Sendable, Equatable {
    /// Where the global pair's updates happen relative to the local ones.
    public enum GlobalUpdates: String, Codable, Sendable {
        /// Once per iteration, after all local pairs (Algorithm 1).
        case perIteration
        /// After each local pair's update (appendix, Fig. 11).
        case perLocalUpdate
    }

    /// Which generators WeGAN's weighting applies to in SGAN.
    public enum WeightedGenerators: String, Codable, Sendable, CaseIterable {
        case local, global, both
    }

    /// N, the number of local pairs.
    public var pairs: Int
    /// Messengers (Algorithm 1); false is the "simplified SGAN" (appendix, Fig. 10), where G0
    /// trains against the local D_n directly without changing them.
    public var messengers: Bool
    /// Messengers copy D_n's optimizer state (default) or start with a fresh one.
    public var messengerCopiesOptimizerState: Bool
    /// Steps each messenger takes against G0 per iteration; nil is Algorithm 1's I_D, the local
    /// discriminators' own count. More steps let a messenger drift further from its D_n towards
    /// a discriminator of G0 (an ablation of what G0 inherits from the local pairs).
    public var messengerSteps: Int?
    /// The iteration from which the messengers take `messengerSteps`; before it they take I_D, as
    /// in Algorithm 1 (nil: from the start). Switching a run after G0 has collapsed tells whether
    /// more messenger steps undo a collapse or only prevent one.
    public var messengerStepsFrom: Int?
    /// Steps the messengers take before `messengerStepsFrom` (nil: I_D). With `messengerSteps` left
    /// at I_D it runs the switch the other way, many steps first and Algorithm 1's after: whether a
    /// G0 that many-step messengers kept spread stays spread under Algorithm 1's.
    public var messengerStepsBefore: Int?
    public var globalUpdates: GlobalUpdates
    public var weightedGenerators: WeightedGenerators
    /// N-SW: parameterised layers shared by the local generators (their last ones).
    public var sharedGeneratorLayers: Int
    /// N-SW: parameterised layers shared by the local discriminators (their first ones).
    public var sharedDiscriminatorLayers: Int

    public init(pairs: Int, messengers: Bool = true, messengerCopiesOptimizerState: Bool = true, messengerSteps: Int? = nil,
                messengerStepsFrom: Int? = nil, messengerStepsBefore: Int? = nil, globalUpdates: GlobalUpdates = .perIteration, weightedGenerators: WeightedGenerators = .both,
                sharedGeneratorLayers: Int = 0, sharedDiscriminatorLayers: Int = 0) {
        self.sharedGeneratorLayers = sharedGeneratorLayers
        self.sharedDiscriminatorLayers = sharedDiscriminatorLayers
        self.pairs = pairs
        self.messengers = messengers
        self.messengerCopiesOptimizerState = messengerCopiesOptimizerState
        self.messengerSteps = messengerSteps
        self.messengerStepsFrom = messengerStepsFrom
        self.messengerStepsBefore = messengerStepsBefore
        self.globalUpdates = globalUpdates
        self.weightedGenerators = weightedGenerators
    }
}

extension SGANOptions: Codable {
    private enum CodingKeys: String, CodingKey {
        case pairs, messengers, messengerCopiesOptimizerState, messengerSteps, messengerStepsFrom, messengerStepsBefore, globalUpdates, weightedGenerators, sharedGeneratorLayers, sharedDiscriminatorLayers
    }

    /// Every key but `pairs` may be left out of a configuration file and takes its default.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(pairs: try c.decode(Int.self, forKey: .pairs),
                  messengers: try c.decodeIfPresent(Bool.self, forKey: .messengers) ?? true,
                  messengerCopiesOptimizerState: try c.decodeIfPresent(Bool.self, forKey: .messengerCopiesOptimizerState) ?? true,
                  messengerSteps: try c.decodeIfPresent(Int.self, forKey: .messengerSteps),
                  messengerStepsFrom: try c.decodeIfPresent(Int.self, forKey: .messengerStepsFrom),
                  messengerStepsBefore: try c.decodeIfPresent(Int.self, forKey: .messengerStepsBefore),
                  globalUpdates: try c.decodeIfPresent(GlobalUpdates.self, forKey: .globalUpdates) ?? .perIteration,
                  weightedGenerators: try c.decodeIfPresent(WeightedGenerators.self, forKey: .weightedGenerators) ?? .both,
                  sharedGeneratorLayers: try c.decodeIfPresent(Int.self, forKey: .sharedGeneratorLayers) ?? 0,
                  sharedDiscriminatorLayers: try c.decodeIfPresent(Int.self, forKey: .sharedDiscriminatorLayers) ?? 0)
    }
}
