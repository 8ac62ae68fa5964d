import GANKitTraining

/// Detects a run that has diverged: a non-finite loss or penalty in the iteration's report, or a
/// non-finite parameter in any player. Returns the message naming player and iteration.
enum DivergenceGuard {
    static func problem(in report: IterationReport, trainer: Trainer) -> String? {
        for s in report.players {
            if !s.loss.isFinite { return "the loss of \(s.player) is \(s.loss) at iteration \(report.iteration)" }
            if let p = s.penalty, !p.isFinite { return "the gradient penalty of \(s.player) is \(p) at iteration \(report.iteration)" }
        }
        for (name, player) in trainer.namedPlayers {
            for (parameter, p) in player.network.namedParameters where !p.value.isFinite {
                return "parameter \(parameter) of \(playerLabel(name, trainer: trainer)) is not finite at iteration \(report.iteration)"
            }
        }
        return nil
    }

    /// "pair3.generator" → "G3", "global.discriminator" → "D0", a single pair's → "G"/"D".
    static func playerLabel(_ checkpointName: String, trainer: Trainer) -> String {
        let role = checkpointName.hasSuffix("generator") ? "G" : "D"
        if checkpointName.hasPrefix("global") { return role + "0" }
        if trainer.pairs.count == 1 && trainer.global == nil { return role }
        return role + checkpointName.dropFirst(4).prefix { $0.isNumber }
    }
}
