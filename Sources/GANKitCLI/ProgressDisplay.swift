import Foundation
import GANKitTraining

/// Training progress: a bar redrawn in place on a terminal (iterations, rate, ETA, latest losses
/// and metric), plain lines every 5% when standard output is a file or pipe.
final class ProgressDisplay {
    private let console: Console
    private let total: Int
    private let startIteration: Int
    private let start = Date()
    private var lastDraw = Date.distantPast
    private var lastIteration = 0
    var metric: String?

    init(console: Console, total: Int, startIteration: Int) {
        self.console = console
        self.total = total
        self.startIteration = startIteration
    }

    func update(_ report: IterationReport) {
        lastIteration = report.iteration
        let done = report.iteration == total
        if console.isTerminal {
            guard done || Date().timeIntervalSince(lastDraw) > 0.1 else { return }
            lastDraw = Date()
            let width = 24, filled = width * report.iteration / max(total, 1)
            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
            console.write("\r\u{1B}[K\(bar) \(status(report))" + (done ? "\n" : ""))
        } else {
            let step = max(total / 20, 1)
            guard done || report.iteration % step == 0 else { return }
            console.line(status(report))
        }
    }

    private func status(_ report: IterationReport) -> String {
        let elapsed = Date().timeIntervalSince(start)
        let rate = Double(report.iteration - startIteration) / max(elapsed, 1e-9)
        let eta = rate > 0 ? Double(total - report.iteration) / rate : 0
        let shown = report.players.filter { ["G", "D", "G0", "D0"].contains($0.player) }
        let losses = shown.map { "\($0.player) " + String(format: "%.3f", $0.loss) }.joined(separator: " ")
        return "\(report.iteration)/\(total) " + String(format: "%.1f", rate) + " it/s ETA \(Self.clock(eta)) \(losses)"
            + (metric.map { " \($0)" } ?? "")
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.isFinite ? seconds : 0)
        return String(format: "%d:%02d", s / 60, s % 60)
    }
}

/// Progress of a long count of items outside training (decoding an image folder, extracting
/// features): a redrawn bar on a terminal, a line every 10% otherwise.
final class CountProgress {
    private let console: Console
    private let label: String
    private let start = Date()
    private var lastDraw = Date.distantPast
    private var lastTenth = -1

    init(console: Console, label: String) {
        self.console = console
        self.label = label
    }

    func update(_ done: Int, of total: Int) {
        let finished = done >= total
        let elapsed = Date().timeIntervalSince(start)
        let rate = Double(done) / max(elapsed, 1e-9)
        let eta = rate > 0 ? Double(total - done) / rate : 0
        let text = "\(label) \(done)/\(total) " + String(format: "%.0f/s", rate) + " ETA \(ProgressDisplay.clock(eta))"
        if console.isTerminal {
            guard finished || Date().timeIntervalSince(lastDraw) > 0.1 else { return }
            lastDraw = Date()
            let width = 24, filled = width * done / max(total, 1)
            console.write("\r\u{1B}[K" + String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled) + " \(text)"
                          + (finished ? "\n" : ""))
        } else {
            let tenth = 10 * done / max(total, 1)
            guard tenth != lastTenth else { return }
            lastTenth = tenth
            console.error(text)  // not into a --json answer on standard output
        }
    }
}
