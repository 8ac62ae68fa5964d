import Foundation
import GANKitTestSupport
import Testing
@testable import GANKitCLI

/// RUN/best: the checkpoint of the best-scoring evaluation, usable as a run directory.
@Suite struct BestCheckpointTests {
    let options = tinyToy + ["--eval-every", "2", "--checkpoint-every", "4", "--sample-every", "0", "--log-every", "2"]

    func bestRecord(_ run: URL) throws -> BestCheckpoint.Record {
        try JSONDecoder().decode(BestCheckpoint.Record.self, from: Data(contentsOf: run.appendingPathComponent("best/best.json")))
    }

    @Test func theBestEvaluationIsKeptAndServesAsARun() throws {
        let run = try makeTemporaryDirectory().appendingPathComponent("run")
        var r = gankit(["train"] + options + ["--iterations", "10", "--out", run.path])
        #expect(r.status == 0, "\(r.error)")
        let scores = MetricsLog.read(run.appendingPathComponent("metrics.jsonl")).compactMap { line in
            line.metrics?.mmd2Narrow.map { (line.iteration, $0) }
        }
        #expect(scores.count == 5)
        let lowest = try #require(scores.min { $0.1 < $1.1 })
        let record = try bestRecord(run)
        #expect(record.metric == "mmd2_sigma_0.1" && record.better == "lower")
        #expect(record.value == lowest.1 && record.iteration == scores.first { $0.1 == lowest.1 }!.0)

        r = gankit(["evaluate", run.appendingPathComponent("best").path, "--json"])
        #expect(r.status == 0, "\(r.error)")
        let summary = try JSONDecoder().decode(EvaluationSummary.self, from: Data(r.output.utf8))
        #expect(summary.iteration == record.iteration)
        r = gankit(["export", run.appendingPathComponent("best").path, "--output", run.appendingPathComponent("g0.safetensors").path])
        #expect(r.status == 0, "\(r.error)")
    }

    /// Killed after its checkpoint at 4 and resumed, the run keeps the same best as a straight one.
    @Test func aResumedRunKeepsTheSameBest() throws {
        let dir = try makeTemporaryDirectory()
        let straight = dir.appendingPathComponent("straight"), resumed = dir.appendingPathComponent("resumed")
        #expect(gankit(["train"] + options + ["--iterations", "10", "--out", straight.path]).status == 0)
        #expect(gankit(["train"] + options + ["--iterations", "6", "--out", resumed.path]).status == 0)
        // As if killed after iteration 6's evaluation but before its checkpoint: the checkpoints
        // of a run stopped at 4, and RUN/best possibly from iteration 6.
        let four = dir.appendingPathComponent("four")
        #expect(gankit(["train"] + options + ["--iterations", "4", "--out", four.path]).status == 0)
        try FileManager.default.removeItem(at: resumed.appendingPathComponent("checkpoints"))
        try FileManager.default.copyItem(at: four.appendingPathComponent("checkpoints"), to: resumed.appendingPathComponent("checkpoints"))
        let r = gankit(["train", "--resume", resumed.path, "--iterations", "10"])
        #expect(r.status == 0, "\(r.error)")
        let (mine, theirs) = (try bestRecord(resumed), try bestRecord(straight))
        #expect(mine == theirs, "\(mine) \(theirs)")
        let a = try checkpointTensors(resumed.appendingPathComponent("best")).tensors, b = try checkpointTensors(straight.appendingPathComponent("best")).tensors
        #expect(a.keys.sorted() == b.keys.sorted())
        #expect(a.allSatisfy { key, t in b[key].map { $0.shape == t.shape && $0.scalars == t.scalars } ?? false })
    }

    @Test func aMetricThatIsNotComputedIsRefused() throws {
        let out = try makeTemporaryDirectory().appendingPathComponent("run")
        var r = gankit(["train", "--best-metric", "fid_inception", "--out", out.path])
        #expect(r.status == 2 && r.error.contains("--best-metric") && r.error.contains("mmd2_sigma_0.1"), "\(r.error)")
        r = gankit(["train", "--best-metric", "mmd2_sigma_0.1", "--eval-every", "0", "--out", out.path])
        #expect(r.status == 2 && r.error.contains("--eval-every"), "\(r.error)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }
}
