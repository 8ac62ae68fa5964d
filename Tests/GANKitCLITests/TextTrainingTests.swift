import Foundation
import GANKitTestSupport
import Testing
@testable import GANKitCLI

/// Character-level GANs from the command line: `--dataset text` (one sentence a line) and
/// `--dataset fortunes` (Debian's fortunes, installed by scripts/setup).
@Suite struct TextTrainingTests {
    static let tinyText = ["--width", "16", "--depth", "1", "--latent-dim", "8", "--batch-size", "8", "--sequence-length", "12",
                           "--discriminator-steps", "2", "--threads", "1", "--eval-samples", "40"]

    static func corpus(lines: Int) throws -> URL {
        let dir = try makeTemporaryDirectory("text")
        let words = ["the", "cat", "sat", "on", "a", "mat", "and", "dog", "ran"]
        let text = (0..<lines).map { i in (0..<4).map { words[(i * 7 + $0 * 3) % words.count] }.joined(separator: " ") + "." }
        try (text.joined(separator: "\n") + "\n").write(to: dir.appendingPathComponent("corpus.txt"), atomically: true, encoding: .utf8)
        return dir
    }

    @Test func aTextRunWritesSentencesMetricsAndTextSummaries() throws {
        let data = try Self.corpus(lines: 60)
        let run = try makeTemporaryDirectory().appendingPathComponent("run")
        let r = gankit(["train", "--dataset", "text", "--data-dir", data.path] + Self.tinyText
                       + ["--iterations", "6", "--eval-every", "3", "--sample-every", "3", "--out", run.path])
        try #require(r.status == 0, "\(r.error)")
        let sentences = try String(contentsOf: run.appendingPathComponent("samples/iteration-00000006.txt"), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(sentences.count == 16)
        #expect(sentences.allSatisfy { $0.count <= 12 })
        let evaluated = MetricsLog.read(run.appendingPathComponent("metrics.jsonl")).compactMap(\.metrics)
        // Iterations 1 (SGAN Table 2's first row), 3 and 6.
        #expect(evaluated.count == 3)
        for m in evaluated {
            for js in [m.js1, m.js2, m.js3, m.js4] { #expect(js.map { $0 >= 0 && $0 <= 1 } == true) }
            #expect(m.snippets?.count == 8)
            #expect(m.dominantSymbolFraction.map { $0 > 0 && $0 <= 1 } == true)
            #expect(m.distinctSymbols.map { $0 >= 1 } == true)
        }
        if !ExternalProcess.skipPython {
            let board = try TensorBoardReader.read(run)
            #expect(board.texts["samples/text"]?.map(\.step) == [3, 6])
            #expect(board.scalars["metrics/js_4"]?.map(\.step) == [1, 3, 6])
        }
        let printed = gankit(["sample", run.path, "--count", "5"])
        #expect(printed.status == 0, "\(printed.error)")
        #expect(printed.output.split(separator: "\n", omittingEmptySubsequences: false).count == 6, "\(printed.output)")
        let txt = run.deletingLastPathComponent().appendingPathComponent("s.txt")
        #expect(gankit(["sample", run.path, "--count", "4", "--output", txt.path]).status == 0)
        #expect(try String(contentsOf: txt, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).count == 5)
        // Resume continues the same run.
        #expect(gankit(["train", "--resume", run.path, "--iterations", "8"]).status == 0)
    }

    @Test func fortunesIsTheDefaultCorpus() throws {
        guard FileManager.default.fileExists(atPath: "/usr/share/games/fortunes/fortunes") else {
            Issue.record("Debian's fortunes package is missing: run scripts/setup")
            return
        }
        let run = try makeTemporaryDirectory().appendingPathComponent("run")
        let r = gankit(["train", "--dataset", "fortunes"] + Self.tinyText + ["--iterations", "2", "--eval-every", "2", "--out", run.path])
        #expect(r.status == 0, "\(r.error)")
        let config = try String(contentsOf: run.appendingPathComponent("config.json"), encoding: .utf8)
        #expect(config.contains("/usr/share/games/fortunes"))
    }

    @Test func textOptionsThatDoNotFitAreRejected() throws {
        let small = try Self.corpus(lines: 5)
        let out = try makeTemporaryDirectory().appendingPathComponent("run")
        func rejected(_ arguments: [String], _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation) {
            let r = gankit(["train"] + arguments + ["--out", out.path])
            #expect(r.status == 2, "\(arguments): \(r.error)", sourceLocation: sourceLocation)
            #expect(r.error.contains(fragment), "\(r.error)", sourceLocation: sourceLocation)
        }
        rejected(["--dataset", "text", "--data-dir", small.path] + Self.tinyText, "fewer than one batch of 8")
        rejected(["--dataset", "text"], "needs --data-dir")
        rejected(["--dataset", "text", "--data-dir", small.appendingPathComponent("nowhere").path], "no such file or directory")
        let big = try Self.corpus(lines: 60)
        rejected(["--dataset", "text", "--data-dir", big.path, "--architecture", "dcgan"], "text needs char-resnet")
        rejected(["--dataset", "text", "--data-dir", big.path, "--mnist-limit", "3"], "--mnist-limit")
        rejected(["--dataset", "text", "--data-dir", big.path, "--vocabulary", "2"], "at least 3")
        rejected(["--dataset", "text", "--data-dir", big.path, "--leaky-slope", "0.1"], "does not apply to char-resnet")
        rejected(["--dataset", "ring8", "--sequence-length", "8"], "applies only to text")
        rejected(["--dataset", "ring8", "--architecture", "char-resnet"], "char-resnet needs text")
        try Data([0x61, 0x0A, 0xFF, 0x0A]).write(to: big.appendingPathComponent("bad.txt"))
        rejected(["--dataset", "text", "--data-dir", big.path], "bad.txt: not valid UTF-8 at byte offset 2")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }
}
