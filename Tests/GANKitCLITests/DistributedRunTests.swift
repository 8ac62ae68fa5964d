import Foundation
import GANKitSafetensors
import GANKitTestSupport
import Testing
@testable import GANKitCLI

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

    /// A script running gankit in ROOT/a on rank 0 and in ROOT/b on rank 1, so that relative
    /// paths name different files on the two ranks.
    static func rankOneElsewhere(_ binary: URL, root: URL) throws -> URL {
        let wrapper = root.appendingPathComponent("rank.sh")
        try """
            #!/bin/bash
            if [ "$OMPI_COMM_WORLD_RANK" = "1" ]; then cd \(root.appendingPathComponent("b").path); else cd \(root.appendingPathComponent("a").path); fi
            exec \(binary.path) "$@"
            """.write(to: wrapper, atomically: true, encoding: .utf8)
        chmod(wrapper.path, 0o755)
        return wrapper
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

    /// Not WGAN-GP: Adam turns the rounding noise of gradients that are exactly zero (a WGAN
    /// critic's output bias) into ±lr steps, in one process as over ranks (`DataParallelTests`).
    static let pair = ["--dataset", "ring8", "--topology", "single", "--objective", "non-saturating", "--width", "32", "--depth", "2",
                       "--batch-size", "30", "--eval-every", "0", "--sample-every", "0", "--threads", "1"]

    /// Each player's parameters (one vector per network of the checkpoint): ‖a − b‖ / ‖b‖.
    static func relativeDifference(_ a: URL, _ b: URL) throws -> [String: Float] {
        let x = try checkpointTensors(a), y = try checkpointTensors(b)
        var out: [String: Float] = [:]
        for player in ["pair1.generator", "pair1.discriminator"] {
            var difference: Float = 0, norm: Float = 0
            for (name, t) in y.tensors where name.hasPrefix(player + ".network.") {
                for (u, v) in zip(try #require(x.tensors[name]).scalars, t.scalars) {
                    difference += (u - v) * (u - v)
                    norm += v * v
                }
            }
            out[player] = (difference / norm).squareRoot()
        }
        return out
    }

    /// One pair with each batch split over the ranks: one rank is the one-process run byte for
    /// byte; 2 and 3 ranks match it to 1e-5 after one iteration, and repeat themselves exactly.
    @Test func dataParallelMatchesTheOneProcessRun() throws {
        let dir = try makeTemporaryDirectory()
        for iterations in [1, 12] {
            let reference = dir.appendingPathComponent("alone-\(iterations)")
            #expect(try Self.alone(["train"] + Self.pair + ["--iterations", "\(iterations)", "--out", reference.path]).status == 0)
            let one = dir.appendingPathComponent("one-\(iterations)")
            #expect(try Self.mpirun(1, ["train", "--data-parallel"] + Self.pair + ["--iterations", "\(iterations)", "--out", one.path]).status == 0)
            try Self.expectSameCheckpoint(one, reference)
            for ranks in [2, 3] {
                let runs = (0..<2).map { dir.appendingPathComponent("ranks-\(ranks)-\(iterations)-\($0)") }
                for run in runs {
                    let r = try Self.mpirun(ranks, ["train", "--data-parallel"] + Self.pair + ["--iterations", "\(iterations)", "--out", run.path])
                    #expect(r.status == 0, "\(r.error)")
                    #expect(r.output.contains("one pair over \(ranks) MPI ranks, each batch of 30 split into rows 0..<"), "the placement is printed")
                }
                try Self.expectSameCheckpoint(runs[0], runs[1])
                let placement = try JSONSerialization.jsonObject(with: Data(contentsOf: runs[0].appendingPathComponent("placement.json"))) as? [String: Any]
                #expect((placement?["rows"] as? [[Int]])?.count == ranks)
                if iterations == 1 {
                    for (player, d) in try Self.relativeDifference(runs[0], reference) { #expect(d < 1e-5, "\(ranks) ranks, \(player): \(d)") }
                }
            }
        }
    }

    /// A data-parallel run resumes exactly on the same number of ranks, and under another (one
    /// process without mpirun, or 3 ranks) it continues from its checkpoint, up to rounding.
    @Test func aDataParallelRunResumesUnderAnotherRankCount() throws {
        let dir = try makeTemporaryDirectory()
        let whole = dir.appendingPathComponent("whole")
        #expect(try Self.mpirun(2, ["train", "--data-parallel"] + Self.pair + ["--iterations", "16", "--out", whole.path]).status == 0)
        let split = dir.appendingPathComponent("split")
        #expect(try Self.mpirun(2, ["train", "--data-parallel"] + Self.pair + ["--iterations", "8", "--out", split.path]).status == 0)
        #expect(try Self.mpirun(2, ["train", "--resume", split.path, "--iterations", "16"]).status == 0)
        try Self.expectSameCheckpoint(split, whole)
        let config = try String(contentsOf: split.appendingPathComponent("config.json"), encoding: .utf8)
        #expect(config.contains("\"data-parallel\" : true"), "\(config)")
        for (name, resume) in [("alone", { try Self.alone($0) }), ("three", { try Self.mpirun(3, $0) })] as [(String, ([String]) throws -> (status: Int32, output: String, error: String))] {
            let run = dir.appendingPathComponent(name)
            #expect(try Self.mpirun(2, ["train", "--data-parallel"] + Self.pair + ["--iterations", "8", "--out", run.path]).status == 0)
            let r = try resume(["train", "--resume", run.path, "--iterations", "16"])
            #expect(r.status == 0, "\(r.error)")
            let at = try JSONSerialization.jsonObject(with: Data(contentsOf: run.appendingPathComponent("checkpoints/checkpoint.json"))) as? [String: Any]
            #expect(at?["iteration"] as? Int == 16)
            // Rounding apart, the run that stayed on 2 ranks (measured 5e-9; a run 8 iterations short is 9e-3 away).
            for (player, d) in try Self.relativeDifference(run, whole) { #expect(d < 1e-5, "\(name), \(player): \(d) from the run that stayed on 2 ranks") }
        }
    }

    @Test func runsThatCannotBeSpreadOverTheRanksAreRefused() throws {
        let dir = try makeTemporaryDirectory()
        let single = try Self.mpirun(2, ["train", "--dataset", "ring8", "--topology", "single", "--iterations", "5", "--out", dir.appendingPathComponent("a").path])
        #expect(single.status != 0 && single.error.contains("training across ranks needs --topology sgan (its local pairs are spread over the ranks) or --data-parallel"))
        let sganDataParallel = try Self.mpirun(2, ["train", "--data-parallel"] + Self.sgan + ["--iterations", "5", "--out", dir.appendingPathComponent("a").path])
        #expect(sganDataParallel.status == 2 && sganDataParallel.error.contains("invalid --data-parallel: trains one pair"), "\(sganDataParallel.error)")
        let tiny = try Self.mpirun(3, ["train", "--data-parallel"] + Self.pair + ["--batch-size", "2", "--iterations", "5", "--out", dir.appendingPathComponent("a").path])
        #expect(tiny.status == 2 && tiny.error.contains("invalid --batch-size: 2 rows cannot be split over 3 ranks"), "\(tiny.error)")
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
        let wrapper = try Self.rankOneElsewhere(binary, root: root)
        let run = root.appendingPathComponent("run")
        let r = try ExternalProcess.run("mpirun", ["--allow-run-as-root", "--oversubscribe", "-np", "2", wrapper.path, "train", "--dataset", "text",
                                                   "--data-dir", "corpus", "--topology", "sgan", "--pairs", "2"] + TextTrainingTests.tinyText
                                                   + ["--iterations", "3", "--eval-every", "0", "--out", run.path])
        #expect(r.status != 0)
        #expect(r.error.contains("rank 1 reads different data than rank 0"), "\(r.error)")
        #expect(!FileManager.default.fileExists(atPath: run.path), "nothing is written")
    }

    @Test(arguments: [["train"] + sgan, ["train", "--data-parallel"] + pair])
    func aKilledRankEndsTheJobAndTheLastCheckpointResumes(_ command: [String]) throws {
        let binary = try #require(TrainingRunTests.executable, "the gankit executable is not built next to the tests")
        let run = try makeTemporaryDirectory().appendingPathComponent("run")
        let job = Process()
        job.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        job.arguments = ["mpirun", "--allow-run-as-root", "--oversubscribe", "-np", "3", binary.path] + command
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

    /// `mpirun -np 2 gankit experiment run`: the runs are shared between the ranks (rank 0 keeps
    /// the manifest), and every run is the one the sweep makes without mpirun, byte for byte.
    @Test func aSweepSpreadsItsRunsOverTheRanks() throws {
        let dir = try makeTemporaryDirectory()
        let file = dir.appendingPathComponent("tiny.yaml")
        try ExperimentTests.tinyFile.write(to: file, atomically: true, encoding: .utf8)
        let alone = dir.appendingPathComponent("alone"), ranked = dir.appendingPathComponent("ranked")
        #expect(try Self.alone(["experiment", "run", file.path, "--jobs", "1", "--out", alone.path]).status == 0)
        let r = try Self.mpirun(2, ["experiment", "run", file.path, "--jobs", "1", "--out", ranked.path])
        #expect(r.status == 0, "\(r.error)")
        #expect(r.output.contains("1 at a time on each of 2 MPI ranks") && r.output.contains("on rank 1"), "\(r.output)")
        let manifest = try SweepManifest.read(from: ranked)
        #expect(manifest.runs.map(\.status) == [.done, .done, .done, .done])
        for run in manifest.runs { try Self.expectSameCheckpoint(ranked.appendingPathComponent(run.path), alone.appendingPathComponent(run.path)) }
        #expect(try Self.alone(["experiment", "report", ranked.path]).status == 0)
        // Refused by rank 0 (the directory exists): every rank ends with the reason, nothing is touched.
        let before = try Data(contentsOf: ranked.appendingPathComponent("sweep.json"))
        let again = try Self.mpirun(2, ["experiment", "run", file.path, "--jobs", "1", "--out", ranked.path])
        #expect(again.status != 0 && again.error.contains("already exists") && again.error.contains("rank 0 refused the sweep"), "\(again.error)")
        #expect(try Data(contentsOf: ranked.appendingPathComponent("sweep.json")) == before)
    }

    /// Rank 1 starts in another directory, so the relative --out names another folder there: the
    /// ranks do not share the sweep directory, which is refused before any run.
    @Test func aSweepDirectoryTheRanksDoNotShareIsRefused() throws {
        let binary = try #require(TrainingRunTests.executable, "the gankit executable is not built next to the tests")
        let root = try makeTemporaryDirectory()
        for name in ["a", "b"] { try FileManager.default.createDirectory(at: root.appendingPathComponent(name), withIntermediateDirectories: true) }
        let file = root.appendingPathComponent("tiny.yaml")
        try ExperimentTests.tinyFile.write(to: file, atomically: true, encoding: .utf8)
        let wrapper = try Self.rankOneElsewhere(binary, root: root)
        let r = try ExternalProcess.run("mpirun", ["--allow-run-as-root", "--oversubscribe", "-np", "2", wrapper.path,
                                                   "experiment", "run", file.path, "--jobs", "1", "--out", "sweep"])
        #expect(r.status != 0)
        #expect(r.error.contains("rank 1 does not see rank 0's sweep directory"), "\(r.error)")
        let manifest = try SweepManifest.read(from: root.appendingPathComponent("a/sweep"))
        #expect(manifest.runs.allSatisfy { $0.status == .pending }, "no run started")
    }

    /// A run launched by the sweep is a process of its own, not a rank of the job.
    @Test func runsDropOpenMPIsEnvironment() {
        let environment = ExperimentRunner.childEnvironment(["OMPI_COMM_WORLD_SIZE": "2", "PMIX_RANK": "1", "PATH": "/usr/bin", "HOME": "/root"])
        #expect(environment == ["PATH": "/usr/bin", "HOME": "/root", "GANKIT_STOP_WITH_PARENT": "1"])
    }
}
