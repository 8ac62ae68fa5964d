import Foundation
import GANKitSafetensors
import GANKitTestSupport
import Testing
@testable import GANKitReport
@testable import GANKitCLI

/// Resuming: a run stopped at K and resumed to 2K equals the uninterrupted run, bit for bit.
@Suite struct TrainingRunTests {
    func expectIdentical(_ a: URL, _ b: URL) throws {
        let x = try checkpointTensors(a), y = try checkpointTensors(b)
        #expect(x.tensors.keys.sorted() == y.tensors.keys.sorted())
        for (name, t) in x.tensors {
            #expect(t.isBitwiseIdentical(to: y.tensors[name]!), "\(name) differs")
        }
    }

    @Test func resumingFromACheckpointIsBitIdenticalToAnUninterruptedRun() throws {
        let dir = try makeTemporaryDirectory()
        let straight = dir.appendingPathComponent("straight"), split = dir.appendingPathComponent("split")
        let common = tinyToy + ["--checkpoint-every", "5", "--eval-every", "0"]
        #expect(gankit(["train"] + common + ["--iterations", "16", "--out", straight.path]).status == 0)
        #expect(gankit(["train"] + common + ["--iterations", "8", "--out", split.path]).status == 0)
        let resumed = gankit(["train", "--resume", split.path, "--iterations", "16"])
        #expect(resumed.status == 0, "\(resumed.error)")
        try expectIdentical(straight, split)
        let iterations = MetricsLog.read(split.appendingPathComponent("metrics.jsonl")).map(\.iteration)
        #expect(iterations == Array(1...16))
    }

    /// A run whose messengers switch their step count, either way, resumes across the switch bit for bit.
    @Test(arguments: [["--messenger-steps", "3"], ["--messenger-steps-before", "3", "--messenger-steps", "1"]])
    func resumingAcrossAMessengerStepSwitchIsBitIdentical(steps: [String]) throws {
        let dir = try makeTemporaryDirectory()
        let straight = dir.appendingPathComponent("straight"), split = dir.appendingPathComponent("split")
        let common = tinyToy + steps + ["--messenger-steps-from", "5", "--checkpoint-every", "3", "--eval-every", "0"]
        #expect(gankit(["train"] + common + ["--iterations", "8", "--out", straight.path]).status == 0)
        #expect(gankit(["train"] + common + ["--iterations", "3", "--out", split.path]).status == 0)
        let resumed = gankit(["train", "--resume", split.path, "--iterations", "8"])
        #expect(resumed.status == 0, "\(resumed.error)")
        try expectIdentical(straight, split)
    }

    /// The messengers an evaluation makes to measure G0's critics are made outside the run: their
    /// steps change the probe's numbers only, never the training.
    @Test func probeMessengersMeasureWithoutChangingTheRun() throws {
        let dir = try makeTemporaryDirectory()
        let common = tinyToy + ["--iterations", "6", "--eval-every", "3", "--eval-generators", "all", "--checkpoint-every", "6"]
        let own = dir.appendingPathComponent("own"), twenty = dir.appendingPathComponent("twenty")
        #expect(gankit(["train"] + common + ["--out", own.path]).status == 0)
        let probed = gankit(["train"] + common + ["--eval-messenger-steps", "20", "--out", twenty.path])
        #expect(probed.status == 0, "\(probed.error)")
        try expectIdentical(own, twenty)
        let a = MetricsLog.read(own.appendingPathComponent("metrics.jsonl")).compactMap(\.ensemble)
        let b = MetricsLog.read(twenty.appendingPathComponent("metrics.jsonl")).compactMap(\.ensemble)
        #expect(a.count == 2 && b.count == 2)
        for (x, y) in zip(a, b) {
            #expect(x.globalGeneratorPullTowardMode == y.globalGeneratorPullTowardMode && x.globalRankAboveData == y.globalRankAboveData)
            let (alignment, twentyStepAlignment) = (try #require(x.messengerPullAlignment), try #require(y.messengerPullAlignment))
            // One step barely turns a messenger's pull; twenty turn it further.
            #expect(alignment > twentyStepAlignment, "\(alignment) vs \(twentyStepAlignment)")
        }
    }

    @Test func resumingWithWGANGPOnMNISTIsBitIdenticalToo() throws {
        let dir = try makeTemporaryDirectory()
        let straight = dir.appendingPathComponent("straight"), split = dir.appendingPathComponent("split")
        let common = ["--dataset", "mnist", "--data-dir", SharedDatasets.mnist.path, "--mnist-limit", "100", "--objective", "wgan-gp",
                      "--discriminator-steps", "2", "--batch-size", "16", "--width", "16", "--depth", "1", "--latent-dim", "4", "--threads", "1"]
        #expect(gankit(["train"] + common + ["--iterations", "6", "--out", straight.path]).status == 0)
        #expect(gankit(["train"] + common + ["--iterations", "3", "--out", split.path]).status == 0)
        #expect(gankit(["train", "--resume", split.path, "--iterations", "6"]).status == 0)
        try expectIdentical(straight, split)
    }

    /// The built executable, killed with SIGKILL mid-run, resumes from its last checkpoint to
    /// the same parameters as a run never killed; SIGINT stops it cleanly with a checkpoint.
    @Test func aKilledProcessResumesFromItsLastCheckpoint() throws {
        let binary = try #require(Self.executable, "the gankit executable is not built next to the tests (swift build --build-tests builds it)")
        let dir = try makeTemporaryDirectory()
        let straight = dir.appendingPathComponent("straight"), killed = dir.appendingPathComponent("killed")
        let common = tinyToy + ["--iterations", "3000", "--checkpoint-every", "25", "--eval-every", "0", "--sample-every", "0"]
        #expect(gankit(["train"] + common + ["--out", straight.path]).status == 0)

        let process = try launchGankit(binary, ["train"] + common + ["--out", killed.path])
        waitFor(killed.appendingPathComponent("checkpoints/checkpoint.json"), while: process)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal, "the run finished before it could be killed")

        let resumed = try ExternalProcess.run(binary.path, ["train", "--resume", killed.path, "--iterations", "3000"])
        #expect(resumed.status == 0, "\(resumed.error)")
        try expectIdentical(straight, killed)
        // Lines logged after the last checkpoint by the killed process were dropped on resume.
        let logged = MetricsLog.read(killed.appendingPathComponent("metrics.jsonl")).map(\.iteration)
        #expect(logged == MetricsLog.read(straight.appendingPathComponent("metrics.jsonl")).map(\.iteration))
        // So were its TensorBoard events: every step is in the event files once.
        #expect(try Self.eventSteps(killed) == Self.eventSteps(straight))
    }

    /// The steps of every event in a run's event files, sorted (one per logged iteration and snapshot).
    static func eventSteps(_ run: URL) throws -> [Int] {
        var steps: [Int] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: run.path) where name.hasPrefix("events.out.tfevents.") {
            let bytes = [UInt8](try Data(contentsOf: run.appendingPathComponent(name)))
            var offset = 0
            while let (record, next) = TensorBoardEventFiles.record(in: bytes, at: offset) {
                if let s = TensorBoardEventFiles.eventStep(record) { steps.append(s) }
                offset = next
            }
        }
        return steps.sorted()
    }

    @Test func theLastKCheckpointsAreKept() throws {
        let run = try makeTemporaryDirectory().appendingPathComponent("run")
        #expect(gankit(["train"] + tinyToy + ["--iterations", "8", "--checkpoint-every", "2", "--keep-checkpoints", "3", "--eval-every", "0",
                                              "--out", run.path]).status == 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: run.appendingPathComponent("checkpoints").path).sorted()
        #expect(files == ["checkpoint.json", "iteration-00000004.safetensors", "iteration-00000006.safetensors", "iteration-00000008.safetensors"])
        #expect(gankit(["train"] + tinyToy + ["--keep-checkpoints", "0", "--out", run.path + "-2"]).status == 2)
    }

    @Test func sigintWritesACheckpointAndExitsCleanly() throws {
        let binary = try #require(Self.executable, "the gankit executable is not built next to the tests")
        let run = try makeTemporaryDirectory().appendingPathComponent("run")
        let process = Process()
        process.executableURL = binary
        process.arguments = ["train"] + tinyToy + ["--iterations", "100000", "--checkpoint-every", "100000", "--eval-every", "0", "--sample-every", "0",
                                                  "--log-every", "10", "--out", run.path]
        let errors = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        try process.run()
        let metrics = run.appendingPathComponent("metrics.jsonl")
        let deadline = Date().addingTimeInterval(60)
        while ((try? Data(contentsOf: metrics))?.count ?? 0) == 0, process.isRunning, Date() < deadline { usleep(2000) }
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationReason == .exit && process.terminationStatus == 130)
        #expect(message.contains("interrupted at iteration"), "\(message)")
        #expect(FileManager.default.fileExists(atPath: run.appendingPathComponent("checkpoints/checkpoint.json").path))
        #expect(FileManager.default.fileExists(atPath: run.appendingPathComponent("index.html").path))
    }

    /// A second writer into a run directory is refused at once, naming the first one's process.
    @Test func aRunDirectoryHasOneWriterAtATime() throws {
        let binary = try #require(Self.executable, "the gankit executable is not built next to the tests")
        let run = try makeTemporaryDirectory().appendingPathComponent("run")
        let process = try launchGankit(binary, ["train"] + tinyToy + ["--iterations", "100000", "--checkpoint-every", "5", "--eval-every", "0",
                                                                     "--sample-every", "0", "--out", run.path])
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() } }
        waitFor(run.appendingPathComponent("checkpoints/checkpoint.json"), while: process)
        let before = try String(contentsOf: run.appendingPathComponent("config.json"), encoding: .utf8)
        let second = gankit(["train", "--resume", run.path, "--iterations", "100000"])
        #expect(second.status == 2)
        #expect(second.error.contains("is being written by process \(process.processIdentifier)"), "\(second.error)")
        #expect(try String(contentsOf: run.appendingPathComponent("config.json"), encoding: .utf8) == before)
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        // Once the first writer is gone, the run resumes.
        #expect(gankit(["train", "--resume", run.path, "--iterations", "10"]).status == 0)
    }

    /// A run's event file holds the losses, metrics and sample snapshots, as TensorBoard reads them.
    @Test(.enabled(if: !ExternalProcess.skipPython, "GANKIT_SKIP_PYTHON_INTEROP=1"))
    func tensorBoardReadsARunsScalarsAndSnapshots() throws {
        let run = try makeTemporaryDirectory().appendingPathComponent("run")
        #expect(gankit(["train"] + tinyToy + ["--iterations", "10", "--log-every", "2", "--eval-every", "5", "--sample-every", "5",
                                              "--out", run.path]).status == 0)
        let contents = try TensorBoardReader.read(run)
        #expect(contents.scalars["loss/G0"]?.map(\.step) == [2, 4, 5, 6, 8, 10])
        #expect(contents.scalars["metrics/modes_covered"]?.map(\.step) == [5, 10])
        #expect(contents.images["samples"]?.map(\.step) == [5, 10])
        #expect(contents.images["samples"]?.first?.width == 480)
    }

    /// `gankit` beside the test bundle (`.build/<configuration>/gankit`).
    static var executable: URL? {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("gankit")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for configuration in ["release", "debug"] {
            let candidate = root.appendingPathComponent(".build/\(configuration)/gankit")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }
}
