import Foundation
@testable import GANKitTraining
import Testing
@testable import GANKitCLI

@Suite struct ProgressDisplayTests {
    func report(_ iteration: Int) -> IterationReport {
        IterationReport(iteration: iteration, players: [PlayerStatistics(player: "G0", loss: 1.5), PlayerStatistics(player: "D0", loss: 0.25)],
                        seconds: 0.01)
    }

    @Test func onATerminalTheBarIsRedrawnInPlaceAndEndsWithANewline() {
        let captured = CapturedConsole()
        let terminal = Console(isTerminal: true, out: { s in captured.console.write(s) }, err: { _ in })
        let progress = ProgressDisplay(console: terminal, total: 2, startIteration: 0)
        progress.update(report(1))
        progress.update(report(2))
        let text = captured.standardOutput
        #expect(text.hasPrefix("\r\u{1B}[K"))
        #expect(text.hasSuffix("\n"))
        #expect(text.contains("2/2") && text.contains("G0 1.500") && text.contains("D0 0.250") && text.contains("ETA"))
    }

    @Test func offATerminalItPrintsAPlainLineEveryTwentiethOfTheRun() {
        let captured = CapturedConsole()
        let progress = ProgressDisplay(console: captured.console, total: 100, startIteration: 0)
        for i in 1...100 { progress.update(report(i)) }
        let lines = captured.standardOutput.split(separator: "\n")
        #expect(lines.count == 20)
        #expect(lines.first?.hasPrefix("5/100 ") == true)
    }
}
