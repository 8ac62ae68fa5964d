/// What one player did in one iteration.
public struct PlayerStatistics: Codable, Sendable, Equatable {
    /// "G" and "D" for a single pair; "G1"…"GN", "D1"…"DN", "G0", "D0" in SGAN.
    public var player: String
    /// The last loss of the iteration (for D: of its last step).
    public var loss: Float
    /// The gradient penalty before λ, for objectives that have one.
    public var penalty: Float?
    /// Variance of m·w_i of the generator's weights (0 for uniform weights).
    public var weightVariance: Float?
    /// IWGAN: samples whose naive weight exp(logit) would have overflowed.
    public var weightOverflows: Int?
    /// Generators: the L2 norm of the loss's gradient over all parameters (the mean over G0's
    /// updates when it updates more than once). A discriminator saturated on a generator's
    /// samples shows as a vanishing norm; a collapsed generator's samples pull the same way, which
    /// inflates it.
    public var gradientNorm: Float?
}

/// Per-iteration statistics, handed to every observer.
public struct IterationReport: Codable, Sendable {
    public var iteration: Int
    public var players: [PlayerStatistics]
    /// Seconds spent in this iteration.
    public var seconds: Double

    public func statistics(of player: String) -> PlayerStatistics? { players.first { $0.player == player } }

    /// True when every loss and penalty is finite.
    public var isFinite: Bool {
        players.allSatisfy { $0.loss.isFinite && ($0.penalty?.isFinite ?? true) && ($0.weightVariance?.isFinite ?? true) }
    }
}

/// Receives each iteration's report (the CLI's progress bar, logs, metrics).
public protocol TrainingObserver: AnyObject {
    func trainer(_ trainer: Trainer, didFinish report: IterationReport)
}
