import Foundation
import GANKitSafetensors
import GANKitTestSupport
import Testing

/// `gankit train` under Open MPI's `mpirun` on this machine: SGAN over 1, 2 and 3 ranks writes the
/// one-process run's checkpoint byte for byte, a run resumes under another rank count (with and
/// without mpirun), runs that cannot be spread are refused, and a killed rank ends the job with
/// the last checkpoint intact.
@Suite(.serialized) struct DistributedRunTests {
    static let sgan = ["--dataset", "ring8", "--topology", "sgan", "--pairs", "3", "--objective", "wgan-gp", "--width", "32", "--depth", "2",
                       "--batch-size", "32", "--eval-every", "0", "--sample-every", "0", "--threads", "1"]

    static func mpirun(_ ranks: Int, _ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        let binary = try #require(TrainingRunTests.executable, "the gankit executable is not built next to the tests")
        return try ExternalProcess.run("mpirun", ["--allow-run-as-root", "--oversubscribe", "-np", "\(ranks)", binary.path] + arguments)
    }

    static func alone(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        let binary = try #require(TrainingRunTests.executable, "the gankit executable is not built next to the tests")
        return try ExternalProcess.run(binary.path, arguments)
    }

    static func expectSameCheckpoint(_ a: URL, _ b: URL) throws {
        let x = try checkpointTensors(a), y = try checkpointTensors(b)
        #expect(x.tensors.keys.sorted() == y.tensors.keys.sorted())
        for (name, t) in x.tensors { #expect(t.isBitwiseIdentical(to: y.tensors[name]!), "\(name)") }
    }

    @Test func sganOnOneTwoAndThreeRanksWritesTheOneProcessCheckpoint() throws {
        let dir = try makeTemporaryDirectory()
        let reference = dir.appendingPathComponent("alone")
        #expect(try Self.alone(["train"] + Self.sgan + ["--iterations", "20", "--out", reference.path]).status == 0)
        for ranks in 1...3 {
            let run = dir.appendingPathComponent("ranks-\(ranks)")
            let r = try Self.mpirun(ranks, ["train"] + Self.sgan + ["--iterations", "20", "--out", run.path])
            #expect(r.status == 0, "\(r.error)")
            #expect(r.output.contains("SGAN over \(ranks) MPI ranks: rank 0: global pair"), "the placement is printed")
            try Self.expectSameCheckpoint(run, reference)
            let placement = try JSONSerialization.jsonObject(with: Data(contentsOf: run.appendingPathComponent("placement.json"))) as? [String: Any]
            #expect((placement?["owners"] as? [Int])?.count == 3 && placement?["ranks"] as? Int == ranks)
        }
    }

    @Test func aRunResumesUnderAnotherRankCountWithAndWithoutMPIRun() throws {
        let dir = try makeTemporaryDirectory()
        let reference = dir.appendingPathComponent("alone")
        #expect(try Self.alone(["train"] + Self.sgan + ["--iterations", "20", "--out", reference.path]).status == 0)
        // Started on 3 ranks, finished in one process.
        let first = dir.appendingPathComponent("three-then-one")
        #expect(try Self.mpirun(3, ["train"] + Self.sgan + ["--iterations", "10", "--out", first.path]).status == 0)
        #expect(try Self.alone(["train", "--resume", first.path, "--iterations", "20"]).status == 0)
        try Self.expectSameCheckpoint(first, reference)
        // Started in one process, finished on 2 ranks.
        let second = dir.appendingPathComponent("one-then-two")
        #expect(try Self.alone(["train"] + Self.sgan + ["--iterations", "10", "--out", second.path]).status == 0)
        let resumed = try Self.mpirun(2, ["train", "--resume", second.path, "--iterations", "20"])
        #expect(resumed.status == 0, "\(resumed.error)")
        try Self.expectSameCheckpoint(second, reference)
    }

    @Test func runsThatCannotBeSpreadOverTheRanksAreRefused() throws {
        let dir = try makeTemporaryDirectory()
        let single = try Self.mpirun(2, ["train", "--dataset", "ring8", "--topology", "single", "--iterations", "5", "--out", dir.appendingPathComponent("a").path])
        #expect(single.status != 0 && single.error.contains("training across ranks needs --topology sgan"))
        let tooMany = try Self.mpirun(5, ["train"] + Self.sgan + ["--iterations", "5", "--out", dir.appendingPathComponent("b").path])
        #expect(tooMany.status != 0 && tooMany.error.contains("5 ranks for 3 local pairs; use at most 4"))
        let shared = try Self.mpirun(2, ["train"] + Self.sgan + ["--shared-generator-layers", "1", "--iterations", "5",
                                                               "--out", dir.appendingPathComponent("c").path])
        #expect(shared.status != 0 && shared.error.contains("invalid --shared-generator-layers: weight sharing (N-SW) does not run across ranks"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("a").path), "nothing is written")
    }

    /// Rank 1 starts in another directory, where the same relative --data-dir holds another corpus.
    @Test func ranksReadingDifferentDataAreRefusedBeforeTraining() throws {
        let binary = try #require(TrainingRunTests.executable, "the gankit executable is not built next to the tests")
        let root = try makeTemporaryDirectory()
        for (name, word) in [("a", "cat"), ("b", "dog")] {
            let corpus = root.appendingPathComponent(name).appendingPathComponent("corpus")
            try FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
            let text = (0..<40).map { "the \(word) sat on mat \($0 % 7)." }.joined(separator: "\n") + "\n"
            try text.write(to: corpus.appendingPathComponent("corpus.txt"), atomically: true, encoding: .utf8)
        }
        let wrapper = root.appendingPathComponent("rank.sh")
        try """
            #!/bin/bash
            if [ "$OMPI_COMM_WORLD_RANK" = "1" ]; then cd \(root.appendingPathComponent("b").path); else cd \(root.appendingPathComponent("a").path); fi
            exec \(binary.path) "$@"
            """.write(to: wrapper, atomically: true, encoding: .utf8)
        chmod(wrapper.path, 0o755)
        let run = root.appendingPathComponent("run")
        let r = try ExternalProcess.run("mpirun", ["--allow-run-as-root", "--oversubscribe", "-np", "2", wrapper.path, "train", "--dataset", "text",
                                                   "--data-dir", "corpus", "--topology", "sgan", "--pairs", "2"] + TextTrainingTests.tinyText
                                                   + ["--iterations", "3", "--eval-every", "0", "--out", run.path])
        #expect(r.status != 0)
        #expect(r.error.contains("rank 1 reads different data than rank 0"), "\(r.error)")
        #expect(!FileManager.default.fileExists(atPath: run.path), "nothing is written")
    }

    @Test func aKilledRankEndsTheJobAndTheLastCheckpointResumes() throws {
        let binary = try #require(TrainingRunTests.executable, "the gankit executable is not built next to the tests")
        let run = try makeTemporaryDirectory().appendingPathComponent("run")
        let job = Process()
        job.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        job.arguments = ["mpirun", "--allow-run-as-root", "--oversubscribe", "-np", "3", binary.path, "train"] + Self.sgan
            + ["--iterations", "1000000", "--checkpoint-every", "5", "--out", run.path]
        let errors = Pipe()
        job.standardOutput = FileHandle.nullDevice
        job.standardError = errors
        try job.run()
        waitFor(run.appendingPathComponent("checkpoints/checkpoint.json"), while: job)
        // Rank 2 by its environment, as Open MPI set it.
        let rank2 = try #require(try FileManager.default.contentsOfDirectory(atPath: "/proc").compactMap(Int32.init).first { pid in
            guard let environ = try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/environ")) else { return false }
            let entries = environ.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            return entries.contains("OMPI_COMM_WORLD_RANK=2") && entries.contains { $0.hasPrefix("OMPI_COMM_WORLD_SIZE=3") }
                && (try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8))?.contains(run.path) == true
        }, "rank 2 is running")
        kill(rank2, SIGKILL)
        let killed = Date()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        job.waitUntilExit()
        #expect(Date().timeIntervalSince(killed) < 30, "the job ends within seconds")
        #expect(job.terminationStatus != 0)
        #expect(message.contains("rank 2") && message.contains("Killed"), "\(message)")
        // The last checkpoint is whole: a one-process run resumes from it.
        let at = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: run.appendingPathComponent("checkpoints/checkpoint.json"))) as? [String: Any])
        let iteration = try #require(at["iteration"] as? Int)
        let resumed = try Self.alone(["train", "--resume", run.path, "--iterations", "\(iteration + 5)"])
        #expect(resumed.status == 0, "\(resumed.error)")
    }
}
