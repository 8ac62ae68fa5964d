import Foundation
import GANKitData
import GANKitEvaluation
import GANKitSafetensors
import GANKitTestSupport
import Testing
@testable import GANKitCLI

/// `gankit fid`, `gankit evaluate --inception-weights` and `train --inception-weights`, with
/// pytorch-fid's network under random weights (`fid_inception_reference.py`, converted by
/// `scripts/convert-inception-weights`).
@Suite(.serialized) struct InceptionCommandTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The reference folder: weights.safetensors, reference.safetensors, folder_a and folder_b.
    static let reference: URL? = {
        guard !ExternalProcess.skipPython else { return nil }
        let dir = try! makeTemporaryDirectory("fid-cli")
        let r = try! ExternalProcess.run("python3", [repository.appendingPathComponent("Tests/GANKitEvaluationTests/Python/fid_inception_reference.py").path, dir.path])
        precondition(r.status == 0, "fid_inception_reference.py failed: \(r.error)")
        let converted = try! ExternalProcess.run("python3", [repository.appendingPathComponent("scripts/convert-inception-weights").path,
                                                             dir.appendingPathComponent("weights.pth").path,
                                                             dir.appendingPathComponent("weights.safetensors").path])
        precondition(converted.status == 0, "convert-inception-weights failed: \(converted.error)")
        return dir
    }()

    init() throws {
        setenv("GANKIT_CACHE_DIR", try makeTemporaryDirectory("gankit-cache").path, 1)
    }

    @Test(.enabled(if: !ExternalProcess.skipPython))
    func fidOfTwoFoldersMatchesPytorchFID() throws {
        let dir = try #require(Self.reference)
        let weights = dir.appendingPathComponent("weights.safetensors").path
        let r = gankit(["fid", dir.appendingPathComponent("folder_a").path, dir.appendingPathComponent("folder_b").path,
                        "--inception-weights", weights, "--batch-size", "3", "--threads", "2", "--json"])
        #expect(r.status == 0, "\(r.error)")
        let result = try JSONDecoder().decode(FIDCommand.Result.self, from: Data(r.output.utf8))
        let expected = Double(try #require(SafetensorsFile.read(from: dir.appendingPathComponent("reference.safetensors")).tensors["fid_folders"]).scalars[0])
        #expect(abs(result.fid - expected) <= 1e-3 * expected, "gankit fid \(result.fid), pytorch-fid's network \(expected)")
        #expect(result.imagesA == 8 && result.imagesB == 8)
        // A folder against itself: 0 up to rounding.
        let same = gankit(["fid", dir.appendingPathComponent("folder_a").path, dir.appendingPathComponent("folder_a").path,
                           "--inception-weights", weights, "--json"])
        #expect(abs(try JSONDecoder().decode(FIDCommand.Result.self, from: Data(same.output.utf8)).fid) < 1e-3)

        // A folder's statistics saved once stand in for the folder.
        let stats = dir.appendingPathComponent("a.fidstats").path
        var saved = gankit(["fid", dir.appendingPathComponent("folder_a").path, "--save-stats", stats, "--inception-weights", weights,
                            "--batch-size", "3", "--threads", "2"])
        #expect(saved.status == 0 && saved.output.contains("statistics of 8 images"), "\(saved.error)")
        let fromStats = gankit(["fid", stats, dir.appendingPathComponent("folder_b").path, "--inception-weights", weights,
                                "--batch-size", "3", "--threads", "2", "--json"])
        #expect(fromStats.status == 0, "\(fromStats.error)")
        let viaStats = try JSONDecoder().decode(FIDCommand.Result.self, from: Data(fromStats.output.utf8)).fid
        #expect(abs(viaStats - result.fid) <= 1e-6 * result.fid, "\(viaStats) against \(result.fid)")
        saved = gankit(["fid", stats, "--save-stats", stats + "2", "--inception-weights", weights])
        #expect(saved.status == 2 && saved.error.contains("needs a folder"), "\(saved.error)")
        // Statistics from other weights are refused.
        var other = try InceptionStatistics(contentsOf: URL(fileURLWithPath: stats))
        other.weightsSHA256 = String(repeating: "0f", count: 32)
        try other.write(to: URL(fileURLWithPath: stats + "-other"))
        let mismatch = gankit(["fid", stats + "-other", dir.appendingPathComponent("folder_b").path, "--inception-weights", weights])
        #expect(mismatch.status == 2 && mismatch.error.contains("other Inception weights"), "\(mismatch.error)")
    }

    @Test func fidRefusesBadFoldersAndWeightsBeforeReadingImages() throws {
        let empty = try makeTemporaryDirectory("empty")
        let one = try makeTemporaryDirectory("one")
        try PNGWriter.write(pixels: [UInt8](repeating: 9, count: 12), width: 2, height: 2, channels: 3, to: one.appendingPathComponent("a.png"))
        let weights = try makeTemporaryDirectory("weights").appendingPathComponent("w.safetensors")
        try SafetensorsFile(tensors: ["Conv2d_1a_3x3.conv.weight": .zeros([1])]).write(to: weights)

        var r = gankit(["fid", empty.path, one.path, "--inception-weights", weights.path])
        #expect(r.status == 2 && r.error.contains(empty.path) && r.error.contains("holds 0"), "\(r.error)")
        r = gankit(["fid", one.path, one.path, "--inception-weights", weights.path])
        #expect(r.status == 2 && r.error.contains("holds 1 PNG or JPEG image;"), "\(r.error)")
        try PNGWriter.write(pixels: [UInt8](repeating: 7, count: 12), width: 2, height: 2, channels: 3, to: one.appendingPathComponent("b.png"))
        r = gankit(["fid", one.path, one.path, "--inception-weights", weights.path])
        #expect(r.status == 2 && r.error.contains("Conv2d_1a_3x3.conv.weight") && r.error.contains("[32, 3, 3, 3]"), "\(r.error)")
        r = gankit(["fid", one.path, one.path, "--inception-weights", "/no/such/weights.safetensors"])
        #expect(r.status == 2 && r.error.contains("no such file"), "\(r.error)")
        try Data("not a PNG".utf8).write(to: one.appendingPathComponent("c.png"))
        r = gankit(["fid", one.path, one.path, "--inception-weights", weights.path, "--threads", "0"])
        #expect(r.status == 2 && r.error.contains("--threads"), "\(r.error)")
        r = gankit(["fid", one.path, one.path, "--save-stats", "/tmp/never.fidstats", "--inception-weights", weights.path])
        #expect(r.status == 2 && r.error.contains("--save-stats takes one folder"), "\(r.error)")
        r = gankit(["fid", one.path, "--inception-weights", weights.path])
        #expect(r.status == 2 && r.error.contains("two folders"), "\(r.error)")
        r = gankit(["fid", weights.path, one.path, "--inception-weights", weights.path])
        #expect(r.status == 2 && r.error.contains("not FID statistics"), "\(r.error)")
    }

    /// A tiny DCGAN trained on a folder, scored during training and by `evaluate`; the real
    /// statistics are computed once and then read from the cache.
    @Test(.enabled(if: !ExternalProcess.skipPython))
    func trainAndEvaluateReportFIDAndISWithCachedRealStatistics() throws {
        let dir = try #require(Self.reference)
        let weights = dir.appendingPathComponent("weights.safetensors").path
        let cache = try makeTemporaryDirectory("fid-cache")  // evaluate's; train's is $GANKIT_CACHE_DIR, which parallel tests set
        let run = try makeTemporaryDirectory().appendingPathComponent("run")
        let tiny = ["--dataset", "folder", "--data-dir", dir.appendingPathComponent("folder_a").path, "--image-size", "32",
                    "--width", "4", "--batch-size", "4", "--threads", "2", "--iterations", "2", "--out", run.path]
        var r = gankit(["train", "--eval-every", "2", "--eval-samples", "6"] + tiny)
        #expect(r.status == 2 && r.error.contains("--eval-every") && r.error.contains("--inception-weights"), "\(r.error)")
        #expect(!FileManager.default.fileExists(atPath: run.path))

        r = gankit(["train", "--eval-every", "2", "--eval-samples", "6", "--inception-weights", weights] + tiny)
        #expect(r.status == 0, "\(r.error)")
        let lines = MetricsLog.read(run.appendingPathComponent("metrics.jsonl"))
        let during = try #require(lines.last?.metrics)
        #expect(during.fidInception.map { $0 > 0 && $0.isFinite } == true)
        #expect(during.inceptionSamples == 6 && during.inceptionRealSamples == 6)
        #expect(during.inceptionScoreInception.map { $0 >= 1 && $0 <= 1008 } == true)

        func close(_ a: Double?, _ b: Double?) -> Bool { guard let a, let b else { return false }; return abs(a - b) <= 1e-4 * abs(b) }
        // evaluate at the same count computes the real statistics again (into its own cache) and
        // scores the same generator with the same noise: the training-time numbers, up to the
        // rounding of BLAS at another thread count (tests in this process share OpenBLAS).
        r = gankit(["evaluate", run.path, "--samples", "6", "--inception-weights", weights, "--cache-dir", cache.path, "--json"])
        #expect(r.status == 0, "\(r.error)")
        let evaluated = try JSONDecoder().decode(EvaluationSummary.self, from: Data(r.output.utf8))
        let cached = try FileManager.default.contentsOfDirectory(atPath: cache.path).filter { $0.hasPrefix("fid-statistics-") }
        #expect(cached.count == 1)
        // Again: the real statistics come from the cache, and the numbers are identical.
        r = gankit(["evaluate", run.path, "--samples", "6", "--inception-weights", weights, "--cache-dir", cache.path, "--json", "--log-level", "info"])
        #expect(r.error.contains("real FID statistics of 6 images from"), "\(r.error)")
        let again = try JSONDecoder().decode(EvaluationSummary.self, from: Data(r.output.utf8))
        #expect(again.fidInception == evaluated.fidInception || close(again.fidInception, evaluated.fidInception))
        #expect(close(evaluated.fidInception, during.fidInception), "\(String(describing: evaluated.fidInception)) \(String(describing: during.fidInception))")
        #expect(close(evaluated.inceptionScoreInception, during.inceptionScoreInception))
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache.path).filter { $0.hasPrefix("fid-statistics-") } == cached)
        let report = try String(contentsOf: run.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(report.contains("FID (Inception)"))

        // More samples than real images: the statistics use all 8.
        r = gankit(["evaluate", run.path, "--samples", "10", "--inception-weights", weights, "--cache-dir", cache.path, "--json"])
        #expect(try JSONDecoder().decode(EvaluationSummary.self, from: Data(r.output.utf8)).inceptionRealSamples == 8)

        r = gankit(["evaluate", run.path])
        #expect(r.status == 2 && r.error.contains("--inception-weights"), "\(r.error)")
    }

    @Test func inceptionWeightsAreRefusedWhereTheyDoNotApply() throws {
        let out = try makeTemporaryDirectory().appendingPathComponent("toy")
        var r = gankit(["train", "--iterations", "2", "--out", out.path, "--inception-weights", "/etc/hostname"])
        #expect(r.status == 2 && r.error.contains("--inception-weights") && r.error.contains("image data sets"), "\(r.error)")
        r = gankit(["train", "--iterations", "2", "--out", out.path])
        #expect(r.status == 0, "\(r.error)")
        r = gankit(["evaluate", out.path, "--inception-weights", "/etc/hostname"])
        #expect(r.status == 2 && r.error.contains("--inception-weights") && r.error.contains("image data sets"), "\(r.error)")
    }

    @Test func statisticsFilesRoundTripAndCorruptOnesAreRefused() throws {
        let dir = try makeTemporaryDirectory("stats")
        let url = dir.appendingPathComponent("s.bin")
        let stats = InceptionStatistics(statistics: try .init(mean: [1, -2, 0.5], covariance: [1, 0.1, 0, 0.1, 2, 0, 0, 0, 3]), count: 17,
                                        weightsSHA256: String(repeating: "ab", count: 32))
        try stats.write(to: url)
        #expect(try InceptionStatistics(contentsOf: url) == stats)
        var bytes = try Data(contentsOf: url)
        bytes.removeLast()
        try bytes.write(to: url)
        #expect(throws: InceptionError.self) { try InceptionStatistics(contentsOf: url) }
    }
}
