import Foundation
import GANKitInterop
import GANKitSafetensors
import GANKitTensor
import GANKitTestSupport
import GANKitTraining
import Testing
@testable import GANKitCLI

/// Bad input: a clear message naming the problem, exit status 2, and nothing already written is
/// touched.
@Suite struct BadInputTests {
    /// A finished tiny run to try bad things against.
    func finishedRun() throws -> URL {
        let run = try makeTemporaryDirectory().appendingPathComponent("run")
        let r = gankit(["train"] + tinyToy + ["--iterations", "4", "--eval-every", "0", "--out", run.path])
        #expect(r.status == 0, "\(r.error)")
        return run
    }

    func expectRejected(_ arguments: [String], mentioning fragment: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let r = gankit(arguments)
        #expect(r.status == 2, "status \(r.status): \(r.error)", sourceLocation: sourceLocation)
        #expect(r.error.contains(fragment), "\(r.error)", sourceLocation: sourceLocation)
    }

    @Test func aMissingConfigFileIsRejected() throws {
        let out = try makeTemporaryDirectory().appendingPathComponent("run")
        expectRejected(["train", "--config", "/nonexistent/run.yaml", "--out", out.path], mentioning: "--config")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test(arguments: [
        ("iterations: [1, 2", "not valid YAML"),
        ("iteratons: 5", "unknown option 'iteratons'"),
        ("iterations: many", "iterations"),
        ("- just\n- a list", "mapping"),
        ("objective: gan", "objective"),
    ])
    func aMalformedConfigFileIsRejectedNamingTheKey(text: String, fragment: String) throws {
        let dir = try makeTemporaryDirectory()
        let file = dir.appendingPathComponent("run.yaml")
        try text.write(to: file, atomically: true, encoding: .utf8)
        expectRejected(["train", "--config", file.path, "--out", dir.appendingPathComponent("run").path], mentioning: fragment)
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("run").path))
    }

    /// NaN and infinity are refused for every float option, on the command line and in a file,
    /// before the run directory exists.
    @Test(arguments: [("dragan-scale", "nan", ["--objective", "dragan"]), ("critic-offset", "inf", ["--weighting", "wegan"]),
                      ("penalty-weight", "-inf", []), ("learning-rate", "nan", []), ("beta", "nan", ["--weighting", "wegan"])])
    func nonFiniteFloatsAreRejected(option: String, value: String, context: [String]) throws {
        let dir = try makeTemporaryDirectory()
        let out = dir.appendingPathComponent("run")
        expectRejected(["train"] + tinyToy + context + ["--\(option)=\(value)", "--out", out.path], mentioning: "invalid --\(option): must be a finite number")
        let config = dir.appendingPathComponent("run.yaml")
        try "\(option): .\(value == "nan" ? "nan" : value == "inf" ? "inf" : "-inf")\n".replacingOccurrences(of: ".-inf", with: "-.inf")
            .write(to: config, atomically: true, encoding: .utf8)
        expectRejected(["train", "--config", config.path] + tinyToy + context + ["--out", out.path], mentioning: "invalid --\(option): must be a finite number")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    /// IDX files with 0 images are refused at once (the batch sampler used to wait forever).
    @Test func anEmptyImageSetIsRejected() throws {
        let dir = try makeTemporaryDirectory()
        func idx(_ name: String, magic: UInt32, sizes: [UInt32]) throws {
            let bytes = ([magic] + sizes).flatMap { word in [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: word >> UInt32($0)) } }
            try Data(bytes).write(to: dir.appendingPathComponent(name))
        }
        try idx("train-images-idx3-ubyte", magic: 0x0803, sizes: [0, 28, 28])
        try idx("train-labels-idx1-ubyte", magic: 0x0801, sizes: [0])
        let out = dir.appendingPathComponent("run")
        expectRejected(["train", "--dataset", "mnist", "--data-dir", dir.path, "--eval-every", "0", "--iterations", "2", "--out", out.path],
                       mentioning: "0 images")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test func anUnknownOptionIsRejected() {
        expectRejected(["train", "--frobnicate", "3"], mentioning: "frobnicate")
    }

    @Test func aBadValueIsRejectedNamingTheOption() {
        expectRejected(["train", "--weighting", "wegan", "--beta", "1.5", "--out", "/tmp/never"], mentioning: "--beta")
        expectRejected(["train", "--objective", "gan"], mentioning: "objective")
        expectRejected(["train", "--batch-size", "0", "--out", "/tmp/never"], mentioning: "--batch-size")
        expectRejected(["train", "--weighting", "iwgan", "--objective", "wgan-gp", "--out", "/tmp/never"], mentioning: "--weighting")
        #expect(!FileManager.default.fileExists(atPath: "/tmp/never"))
    }

    /// An option the run would ignore is refused, naming it and why it does not apply.
    @Test(arguments: [
        (["--objective", "wgan-gp", "--clip-value", "0.1"], "--clip-value"),
        (["--objective", "hinge", "--penalty-weight", "5"], "--penalty-weight"),
        (["--weighting-form", "power"], "--weighting-form"),
        (["--topology", "sgan", "--messengers", "false", "--messenger-optimizer", "fresh"], "--messenger-optimizer"),
        (["--topology", "sgan", "--messengers", "false", "--messenger-steps", "2"], "--messenger-steps"),
        (["--topology", "single", "--messenger-steps", "2"], "--messenger-steps"),
        (["--topology", "sgan", "--messenger-steps", "0"], "--messenger-steps"),
        (["--topology", "sgan", "--eval-messenger-steps", "5"], "--eval-messenger-steps"),
        (["--topology", "single", "--messenger-steps-from", "5"], "--messenger-steps-from"),
        (["--topology", "sgan", "--messenger-steps-from", "5"], "--messenger-steps-from"),
        (["--topology", "sgan", "--messengers", "false", "--messenger-steps-from", "5"], "--messenger-steps-from"),
        (["--topology", "sgan", "--messenger-steps", "3", "--messenger-steps-from", "1"], "--messenger-steps-from"),
        (["--topology", "sgan", "--discriminator-steps", "2", "--messenger-steps", "2", "--messenger-steps-from", "5"], "--messenger-steps-from"),
        (["--topology", "sgan", "--messenger-steps-before", "4", "--messenger-steps", "4", "--messenger-steps-from", "5"], "--messenger-steps-from"),
        (["--topology", "sgan", "--messenger-steps-before", "4"], "--messenger-steps-before"),
        (["--topology", "sgan", "--messenger-steps-before", "0", "--messenger-steps-from", "5"], "--messenger-steps-before"),
        (["--topology", "single", "--messenger-steps-before", "4"], "--messenger-steps-before"),
        (["--topology", "sgan", "--messengers", "false", "--eval-generators", "all", "--eval-messenger-steps", "5"], "--eval-messenger-steps"),
        (["--topology", "sgan", "--eval-generators", "all", "--eval-messenger-steps", "0"], "--eval-messenger-steps"),
        (["--threads", "10000"], "--threads"),
        (["--threads", "0"], "--threads"),
        (["--objective", "dragan", "--dragan-scale=-1"], "--dragan-scale"),
        (["--objective", "wgan", "--clip-value=0"], "--clip-value"),
        (["--learning-rate=-1"], "--learning-rate"),
        // A negative number after a numeric option is its value, not a flag.
        (["--objective", "dragan", "--dragan-scale", "-1"], "invalid --dragan-scale: must be positive"),
        (["--iterations", "-5"], "invalid --iterations: must be at least 1 (got -5)"),
    ])
    func anOptionThatDoesNotApplyIsRejected(arguments: [String], option: String) {
        // A directory of its own: one case that wrongly runs must not fail the others.
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("never-\(UUID().uuidString)").path
        expectRejected(["train"] + arguments + ["--out", out], mentioning: option)
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    /// Sizes far beyond the machine are refused from an estimate, before anything is allocated
    /// or written (they used to abort in an allocation, exit 134).
    @Test(arguments: [
        (["--width", "100000000"], ["--width", "networks", "this machine's memory"]),
        (["--batch-size", "1000000000"], ["--batch-size", "layer outputs"]),
        (["--latent-dim", "10000000000"], ["--latent-dim", "GB"]),
        (["--pairs", "100000", "--width", "512"], ["--pairs"]),
        (["--dataset", "mnist", "--architecture", "dcgan", "--width", "1000000"], ["--width"]),
        (["--memory-limit", "1M"], ["--memory-limit", "MB"]),
        (["--memory-limit", "lots"], ["--memory-limit", "not a size"]),
    ])
    func aRunBeyondTheMemoryLimitIsRejected(arguments: [String], mentions: [String]) {
        let r = gankit(["train"] + arguments + ["--out", "/tmp/never-memory"])
        #expect(r.status == 2, "\(r.error)")
        for m in mentions { #expect(r.error.contains(m), "\(r.error)") }
        #expect(!FileManager.default.fileExists(atPath: "/tmp/never-memory"))
    }

    @Test func theMemoryEstimateIsALowerBoundOfWhatARunHolds() throws {
        // The default job's estimate stays far below a gigabyte and under a generous limit passes.
        let plan = try TrainOptions().plan()
        let estimate = MemoryEstimate(plan.training)
        #expect(estimate.totalBytes > 1e5 && estimate.totalBytes < 1e9, "\(estimate)")
        #expect(throws: Never.self) { try TrainOptions.checkMemory(plan.training, limit: "1G") }
        #expect(TrainOptions.parseByteCount("1.5G") == 1.5 * 1024 * 1024 * 1024 && TrainOptions.parseByteCount("512MB") == 512 * 1024 * 1024)
        #expect(TrainOptions.parseByteCount("12") == 12 && TrainOptions.parseByteCount("-1G") == nil)
    }

    @Test func aDatasetDirectoryThatDoesNotExistIsRejected() throws {
        let out = try makeTemporaryDirectory().appendingPathComponent("run")
        expectRejected(["train", "--dataset", "mnist", "--data-dir", "/nonexistent/mnist", "--out", out.path], mentioning: "--data-dir")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test func anExistingRunIsNotOverwrittenWithoutResume() throws {
        let run = try finishedRun()
        let before = try fingerprint(run)
        expectRejected(["train"] + tinyToy + ["--iterations", "4", "--out", run.path], mentioning: "--resume")
        #expect(try fingerprint(run) == before)
    }

    @Test func resumingWithADifferentConfigurationIsRejected() throws {
        let run = try finishedRun()
        let before = try fingerprint(run)
        expectRejected(["train", "--resume", run.path, "--iterations", "8", "--width", "32"], mentioning: "different configuration")
        #expect(try fingerprint(run) == before)
    }

    @Test func aCheckpointCopiedFromAnotherRunIsRejected() throws {
        let run = try finishedRun()
        let other = try makeTemporaryDirectory().appendingPathComponent("other")
        #expect(gankit(["train"] + tinyToy + ["--iterations", "4", "--eval-every", "0", "--seed", "9", "--out", other.path]).status == 0)
        try FileManager.default.removeItem(at: run.appendingPathComponent("checkpoints"))
        try FileManager.default.copyItem(at: other.appendingPathComponent("checkpoints"), to: run.appendingPathComponent("checkpoints"))
        let before = try fingerprint(run)
        expectRejected(["train", "--resume", run.path, "--iterations", "8"], mentioning: "different configuration")
        #expect(try fingerprint(run) == before)
    }

    @Test func aTruncatedCheckpointIsRejectedByEveryCommand() throws {
        let run = try finishedRun()
        let tensors = try FileManager.default.contentsOfDirectory(atPath: run.appendingPathComponent("checkpoints").path)
            .first { $0.hasSuffix(".safetensors") }!
        let url = run.appendingPathComponent("checkpoints").appendingPathComponent(tensors)
        let data = try Data(contentsOf: url)
        try data.prefix(data.count / 2).write(to: url)
        let before = try fingerprint(run)
        expectRejected(["train", "--resume", run.path, "--iterations", "8"], mentioning: "truncated")
        expectRejected(["evaluate", run.path, "--json"], mentioning: "truncated")
        expectRejected(["sample", run.path, "--output", run.appendingPathComponent("s.png").path], mentioning: "truncated")
        #expect(try fingerprint(run) == before)
    }

    @Test func aTruncatedManifestIsRejected() throws {
        let run = try finishedRun()
        let manifest = run.appendingPathComponent("checkpoints/checkpoint.json")
        let data = try Data(contentsOf: manifest)
        try data.prefix(40).write(to: manifest)
        expectRejected(["train", "--resume", run.path, "--iterations", "8"], mentioning: "checkpoint.json")
    }

    /// A manifest naming a file outside its folder (found by fuzzing) is refused by every command.
    @Test func aManifestPointingOutsideItsFolderIsRejected() throws {
        let run = try finishedRun()
        let manifest = run.appendingPathComponent("checkpoints/checkpoint.json")
        var object = try JSONSerialization.jsonObject(with: Data(contentsOf: manifest)) as! [String: Any]
        let name = object["file"] as! String
        try FileManager.default.copyItem(at: run.appendingPathComponent("checkpoints/\(name)"), to: run.appendingPathComponent(name))
        object["file"] = "../\(name)"  // a valid checkpoint, but not in the folder
        try JSONSerialization.data(withJSONObject: object).write(to: manifest)
        let before = try fingerprint(run)
        expectRejected(["train", "--resume", run.path, "--iterations", "8"], mentioning: "not a file in its own folder")
        expectRejected(["evaluate", run.path, "--json"], mentioning: "not a file in its own folder")
        #expect(try fingerprint(run) == before)
    }

    @Test func resumingSomethingThatIsNotARunIsRejected() throws {
        let dir = try makeTemporaryDirectory()
        expectRejected(["train", "--resume", dir.path], mentioning: "--resume")
    }

    @Test func initialWeightsThatDoNotFitAreRejectedNamingTheTensorAndNothingIsWritten() throws {
        let dir = try makeTemporaryDirectory()
        let file = dir.appendingPathComponent("init.safetensors")
        // tinyToy's generators: 4 → 16 → 16 → 2.
        try SafetensorsFile(tensors: ["generator.0.weight": Tensor.zeros([16, 5])]).write(to: file)
        let out = dir.appendingPathComponent("run")
        expectRejected(["train"] + tinyToy + ["--init-from", file.path, "--out", out.path],
                       mentioning: "tensor 'generator.0.weight' has shape [16, 5], the network expects [16, 4]")
        try SafetensorsFile(tensors: ["generator.0.weight": Tensor.zeros([16, 4])]).write(to: file)
        expectRejected(["train"] + tinyToy + ["--init-from", file.path, "--out", out.path], mentioning: "tensor 'generator.0.bias' is missing")
        try SafetensorsFile(tensors: ["0.weight": Tensor.zeros([16, 4])]).write(to: file)
        expectRejected(["train"] + tinyToy + ["--init-from", file.path, "--out", out.path], mentioning: "prefix each name with 'generator.'")
        expectRejected(["train"] + tinyToy + ["--init-from", dir.appendingPathComponent("none.safetensors").path, "--out", out.path],
                       mentioning: "invalid --init-from")
        #expect(!FileManager.default.fileExists(atPath: out.path))
        let run = try finishedRun()
        let before = try fingerprint(run)
        expectRejected(["train", "--resume", run.path, "--init-from", file.path], mentioning: "--init-from does not apply to a resumed run")
        #expect(try fingerprint(run) == before)
    }

    @Test func noiseThatDoesNotFitTheGeneratorIsRejected() throws {
        let run = try finishedRun()
        let dir = run.deletingLastPathComponent()
        let z = dir.appendingPathComponent("z.npy"), x = dir.appendingPathComponent("x.npy")
        try NumPyFile.encode(Tensor.zeros([3, 5])).write(to: z)
        expectRejected(["sample", run.path, "--noise", z.path, "--output", x.path], mentioning: "has shape [3, 5]; G0 takes [count, 4]")
        try Data("not numpy".utf8).write(to: z)
        expectRejected(["sample", run.path, "--noise", z.path, "--output", x.path], mentioning: "not a .npy file")
        try NumPyFile.encode(Tensor(shape: [1, 4], values: [0, .nan, 0, 0])).write(to: z)
        expectRejected(["sample", run.path, "--noise", z.path, "--output", x.path], mentioning: "NaN")
        try NumPyFile.encode(Tensor.zeros([3, 4])).write(to: z)
        expectRejected(["sample", run.path, "--noise", z.path, "--count", "3", "--output", x.path], mentioning: "--count does not apply with --noise")
        expectRejected(["sample", run.path, "--noise", z.path, "--seed", "3", "--output", x.path], mentioning: "--seed does not apply with --noise")
        #expect(!FileManager.default.fileExists(atPath: x.path))
        #expect(gankit(["sample", run.path, "--noise", z.path, "--output", x.path]).status == 0)
        #expect(try NumPyFile.decode(Data(contentsOf: x), file: "x").shape == [3, 2])
    }

    /// A resume on other data would continue from cursors into a different data set (with a
    /// smaller --mnist-limit, past its end: a crash before the data was recorded).
    @Test func resumingOnOtherDataIsRejectedNamingTheOption() throws {
        let run = try makeTemporaryDirectory().appendingPathComponent("run")
        let trained = gankit(["train", "--dataset", "mnist", "--data-dir", SharedDatasets.mnist.path, "--mnist-limit", "64", "--width", "8",
                              "--depth", "1", "--latent-dim", "4", "--batch-size", "48", "--iterations", "2", "--threads", "1", "--out", run.path])
        try #require(trained.status == 0, "\(trained.error)")
        let before = try fingerprint(run)
        expectRejected(["train", "--resume", run.path, "--iterations", "4", "--mnist-limit", "16"],
                       mentioning: "invalid --mnist-limit: the run trained on the first 64 images, not the first 16")
        expectRejected(["train", "--resume", run.path, "--iterations", "4", "--data-dir", SharedDatasets.directory.appendingPathComponent("fashion-mnist").path],
                       mentioning: "invalid --data-dir")
        #expect(try fingerprint(run) == before)
        #expect(gankit(["train", "--resume", run.path, "--iterations", "4"]).status == 0)
    }

    @Test func resumingAfterTheCorpusChangedIsRejected() throws {
        let corpus = try makeTemporaryDirectory("corpus")
        let file = corpus.appendingPathComponent("a.txt")
        try ((0..<40).map { "sentence number \($0)." }.joined(separator: "\n")).write(to: file, atomically: true, encoding: .utf8)
        let run = try makeTemporaryDirectory().appendingPathComponent("run")
        let trained = gankit(["train", "--dataset", "text", "--data-dir", corpus.path, "--width", "8", "--depth", "1", "--latent-dim", "4",
                              "--batch-size", "8", "--sequence-length", "8", "--discriminator-steps", "1", "--iterations", "2", "--threads", "1",
                              "--eval-every", "0", "--out", run.path])
        try #require(trained.status == 0, "\(trained.error)")
        let before = try fingerprint(run)
        try ((0..<40).map { "sentence number \($0)!" }.joined(separator: "\n")).write(to: file, atomically: true, encoding: .utf8)
        expectRejected(["train", "--resume", run.path, "--iterations", "4"], mentioning: "changed since the run started")
        #expect(try fingerprint(run) == before)
    }
}
