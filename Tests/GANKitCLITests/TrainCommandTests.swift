import Foundation
import GANKitSafetensors
import GANKitTraining
import GANKitTestSupport
import Testing
@testable import GANKitCLI

@Suite struct TrainCommandTests {
    @Test func trainingOnToyDataWritesEveryArtefactOfTheRun() throws {
        let run = try makeTemporaryDirectory().appendingPathComponent("run")
        let r = gankit(["train"] + tinyToy + ["--iterations", "20", "--checkpoint-every", "10", "--eval-every", "10", "--sample-every", "10",
                                              "--log-every", "5", "--out", run.path])
        #expect(r.status == 0, "\(r.error)")
        // Not a terminal: plain progress lines, no cursor control.
        #expect(!r.output.contains("\u{1B}"))
        #expect(r.output.split(separator: "\n").contains { $0.hasPrefix("20/20 ") && $0.contains("it/s") && $0.contains("modes") })

        let config = try JSONSerialization.jsonObject(with: Data(contentsOf: run.appendingPathComponent("config.json"))) as? [String: Any]
        #expect(config?["pairs"] as? Int == 2)
        #expect(config?["batch-size"] as? Int == 32)

        let lines = try String(contentsOf: run.appendingPathComponent("metrics.jsonl"), encoding: .utf8).split(separator: "\n")
        let records = try lines.map { try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        #expect(records.map { $0["iteration"] as? Int } == [5, 10, 15, 20])
        #expect((records[0]["loss"] as? [String: Any])?.keys.sorted() == ["D0", "D1", "D2", "G0", "G1", "G2", "M1", "M2"])
        #expect(records[0]["wall_time"] is Double)
        let metrics = try #require(records[1]["metrics"] as? [String: Any])
        #expect(metrics["modes_total"] as? Int == 8)
        #expect(metrics["mmd2"] is Double)

        let events = try FileManager.default.contentsOfDirectory(atPath: run.path).filter { $0.hasPrefix("events.out.tfevents.") }
        #expect(events.count == 1)
        for it in [10, 20] {
            let size = try pngSize(run.appendingPathComponent(String(format: "samples/iteration-%08d.png", it)))
            #expect(size?.width == 480 && size?.height == 480)
        }
        let checkpoint = try checkpointTensors(run)
        #expect(checkpoint.tensors.keys.contains { $0.hasPrefix("global.generator.network.") })
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: run.appendingPathComponent("checkpoints/checkpoint.json"))) as? [String: Any]
        #expect(manifest?["iteration"] as? Int == 20)
        let generators = try JSONSerialization.jsonObject(with: Data(contentsOf: run.appendingPathComponent("generators.json"))) as? [[String: Any]]
        #expect(generators?.compactMap { $0["generator"] as? String } == ["G0", "G1", "G2"])
        let html = try String(contentsOf: run.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(html.contains("<svg") && html.contains("samples/iteration-00000020.png") && html.hasSuffix("</html>\n"))
    }

    @Test func trainingOnASliceOfMNISTWritesSampleGrids() throws {
        let run = try makeTemporaryDirectory().appendingPathComponent("run")
        let r = gankit(["train", "--dataset", "mnist", "--data-dir", SharedDatasets.mnist.path, "--mnist-limit", "256", "--iterations", "6",
                        "--batch-size", "32", "--width", "32", "--depth", "1", "--latent-dim", "8", "--threads", "1", "--out", run.path])
        #expect(r.status == 0, "\(r.error)")
        let size = try pngSize(run.appendingPathComponent("samples/iteration-00000006.png"))
        #expect(size?.width == 8 * 30 + 2 && size?.height == 8 * 30 + 2)
        let config = try JSONSerialization.jsonObject(with: Data(contentsOf: run.appendingPathComponent("config.json"))) as? [String: Any]
        #expect(config?["topology"] as? String == "single")
        #expect(try checkpointTensors(run).tensors.keys.contains("pair1.generator.network.0.weight"))
        let grid = run.appendingPathComponent("grid.png"), npy = run.appendingPathComponent("images.npy")
        #expect(gankit(["sample", run.path, "--count", "16", "--output", grid.path]).status == 0)
        let gridSize = try pngSize(grid)
        #expect(gridSize?.width == 8 * 30 + 2 && gridSize?.height == 2 * 30 + 2)
        #expect(gankit(["sample", run.path, "--count", "3", "--output", npy.path]).status == 0)
        #expect(String(decoding: try Data(contentsOf: npy).prefix(128), as: UTF8.self).contains("'shape': (3, 1, 28, 28)"))
    }

    @Test func aConfigFileSetsOptionsAndFlagsOverrideIt() throws {
        let dir = try makeTemporaryDirectory()
        let file = dir.appendingPathComponent("run.yaml")
        try "dataset: grid25\ntopology: single\niterations: 4\nwidth: 8\nlatent-dim: 3\nseed: 7\n".write(to: file, atomically: true, encoding: .utf8)
        let run = dir.appendingPathComponent("run")
        let r = gankit(["train", "--config", file.path, "--iterations", "3", "--threads", "1", "--out", run.path])
        #expect(r.status == 0, "\(r.error)")
        let config = try JSONSerialization.jsonObject(with: Data(contentsOf: run.appendingPathComponent("config.json"))) as? [String: Any]
        #expect(config?["dataset"] as? String == "grid25")
        #expect(config?["iterations"] as? Int == 3)
        #expect(config?["seed"] as? Int == 7)
    }

    @Test func aDivergingRunStopsNamingThePlayerAndIteration() throws {
        let run = try makeTemporaryDirectory().appendingPathComponent("run")
        let r = gankit(["train"] + tinyToy + ["--iterations", "200", "--learning-rate", "1e30", "--checkpoint-every", "1", "--out", run.path])
        #expect(r.status == 1)
        #expect(r.error.contains("diverged"), "\(r.error)")
        #expect(r.error.contains("at iteration"))
        #expect(r.error.range(of: #"\b(G|D|M)\d"#, options: .regularExpression) != nil)
        // Whatever checkpoint remains is a good one.
        if FileManager.default.fileExists(atPath: run.appendingPathComponent("checkpoints/checkpoint.json").path) {
            #expect(try checkpointTensors(run).tensors.values.allSatisfy(\.isFinite))
        }
    }

    /// N-SW SGAN from the command line: the local generators' last layer and the local
    /// discriminators' first one are one set of weights (the checkpoint keeps their master copy);
    /// the other layers stay each pair's own.
    @Test func weightSharingIsReachableFromTheCommandLine() throws {
        let run = try makeTemporaryDirectory().appendingPathComponent("nsw")
        var r = gankit(["train", "--topology", "sgan", "--pairs", "3", "--shared-generator-layers", "1", "--shared-discriminator-layers", "1",
                        "--iterations", "3", "--width", "8", "--depth", "2", "--batch-size", "8", "--threads", "1", "--eval-every", "0",
                        "--out", run.path])
        #expect(r.status == 0, "\(r.error)")
        let t = try checkpointTensors(run).tensors
        #expect(t.keys.contains { $0.hasPrefix("shared.generator.network.") } && t.keys.contains { $0.hasPrefix("shared.discriminator.network.") })
        let config = try JSONSerialization.jsonObject(with: Data(contentsOf: run.appendingPathComponent("config.json"))) as? [String: Any]
        #expect(config?["shared-generator-layers"] as? Int == 1 && config?["shared-discriminator-layers"] as? Int == 1)

        r = gankit(["train", "--topology", "sgan", "--shared-generator-layers", "9", "--iterations", "2", "--out", run.path + "-too-many"])
        #expect(r.status == 2 && r.error.contains("--shared-generator-layers") && r.error.contains("at most"), "\(r.error)")
        r = gankit(["train", "--topology", "single", "--shared-discriminator-layers", "1", "--iterations", "2", "--out", run.path + "-single"])
        #expect(r.status == 2 && r.error.contains("--shared-discriminator-layers") && r.error.contains("--topology sgan"), "\(r.error)")
        #expect(!FileManager.default.fileExists(atPath: run.path + "-too-many") && !FileManager.default.fileExists(atPath: run.path + "-single"))
    }

    /// Every key a configuration file may use is a flag of `gankit train`, shown by `--help`, and
    /// every option flag of `train` (other than the command's own) is a configuration key.
    @Test func everyConfigurationKeyIsAFlagAndEveryFlagAKey() throws {
        let help = TrainCommand.helpMessage(columns: 10_000)
        for key in TrainOptions.keys {
            #expect(help.contains("--\(key) ") || help.contains("--\(key)\n") || help.contains("--\(key) <"), "--\(key) is not in train --help")
        }
        let flags = Set(help.matches(of: /--([a-z0-9-]+)/).map { String($0.1) })
        let commandOnly: Set = ["config", "resume", "schema", "log-level", "help", "version"]
        #expect(flags.subtracting(commandOnly).subtracting(TrainOptions.keys) == [], "flags that no config file can set")
    }

    /// One declaration: a command line and a configuration file saying the same thing give the
    /// same options, and `config.json` reads back as written.
    @Test func theCommandLineAndConfigurationFilesReadTheSameValues() throws {
        let words = ["--dataset", "mnist", "--batch-size", "32", "--beta", "0.25", "--messengers", "false", "--skip-bad-images",
                     "--weighting-form=power", "--seed", "7", "--dragan-scale", "-1", "--out", "runs/x"]
        let parsed = try TrainOptions.parse(commandLine: words)
        let file = try makeTemporaryDirectory().appendingPathComponent("options.yaml")
        try """
            dataset: mnist
            batch-size: 32
            beta: 0.25
            messengers: false
            skip-bad-images: true
            weighting-form: power
            seed: 7
            dragan-scale: -1
            out: runs/x
            """.write(to: file, atomically: true, encoding: .utf8)
        #expect(try ConfigFile.load(file.path) == parsed)
        #expect(parsed.batchSize == 32 && parsed.skipBadImages == true && parsed.draganScale == -1 && parsed.weightingForm == .power)
        #expect(try JSONDecoder().decode(TrainOptions.self, from: JSONEncoder().encode(parsed)) == parsed)
        var base = TrainOptions()
        base.batchSize = 64
        base.iterations = 10
        let merged = base.overridden(by: parsed)
        #expect(merged.batchSize == 32 && merged.iterations == 10 && merged.dataset == .mnist)
    }

    @Test(arguments: [
        (["--batch-sise", "3"], "unknown option '--batch-sise'; did you mean --batch-size?"),
        (["--batch-size"], "missing value for --batch-size (an integer)"),
        (["--batch-size", "many"], "invalid --batch-size: 'many' is not an integer"),
        (["--objective", "wgan-xx"], "invalid --objective: 'wgan-xx' is not one of minimax, non-saturating"),
        (["--skip-bad-images=yes"], "--skip-bad-images takes no value"),
        (["ring8"], "unexpected argument 'ring8'"),
    ])
    func badCommandLinesNameTheOption(_ words: [String], _ message: String) throws {
        let dir = try makeTemporaryDirectory().appendingPathComponent("run")
        let r = gankit(["train"] + words + ["--out", dir.path])
        #expect(r.status == 2 && r.error.contains(message), "\(r.error)")
        #expect(!FileManager.default.fileExists(atPath: dir.path))
    }

    /// `docs/train-options.schema.json` is `gankit train --schema`: every key, with its type, and
    /// nothing else. Regenerate it with `gankit train --schema > docs/train-options.schema.json`.
    @Test func theConfigurationSchemaInTheRepositoryIsCurrent() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let committed = try Data(contentsOf: root.appendingPathComponent("docs/train-options.schema.json"))
        #expect(committed == TrainOptions.jsonSchema + Data("\n".utf8), "regenerate with: gankit train --schema > docs/train-options.schema.json")
        let schema = try #require(try JSONSerialization.jsonObject(with: committed) as? [String: Any])
        let properties = try #require(schema["properties"] as? [String: [String: Any]])
        #expect(Set(properties.keys) == Set(TrainOptions.keys))
        #expect(properties["objective"]?["enum"] as? [String] == ObjectiveKind.allCases.map(\.rawValue))
        #expect(properties["batch-size"]?["type"] as? String == "integer" && properties["skip-bad-images"]?["type"] as? String == "boolean")
        let r = gankit(["train", "--schema"])
        #expect(r.status == 0 && Data(r.output.utf8) == committed)
    }
}
