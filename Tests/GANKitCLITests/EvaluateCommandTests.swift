import Foundation
import GANKitTestSupport
import Testing
@testable import GANKitCLI

@Suite struct EvaluateCommandTests {
    @Test func evaluatePrintsToyMetricsAsOneJSONObjectAndWritesEvaluationJSON() throws {
        let run = try makeTemporaryDirectory().appendingPathComponent("run")
        #expect(gankit(["train"] + tinyToy + ["--iterations", "3", "--eval-every", "0", "--out", run.path]).status == 0)
        let r = gankit(["evaluate", run.path, "--json", "--samples", "300", "--mmd-bandwidth", "0.5"])
        #expect(r.status == 0, "\(r.error)")
        let object = try #require(JSONSerialization.jsonObject(with: Data(r.output.utf8)) as? [String: Any])
        for key in ["modes_covered", "modes_total", "high_quality_fraction", "mmd2", "coverage"] { #expect(object[key] != nil, "\(key)") }
        #expect(object["mmd_bandwidth"] as? Double == 0.5)
        #expect(object["generator"] as? String == "G0")
        #expect(FileManager.default.fileExists(atPath: run.appendingPathComponent("evaluation.json").path))
        let table = gankit(["evaluate", run.path, "--samples", "300"])
        #expect(table.output.contains("modes_covered"))
    }

    @Test func evaluateOnMNISTGivesTheClassifierScores() throws {
        let dir = try makeTemporaryDirectory()
        let run = dir.appendingPathComponent("run")
        #expect(gankit(["train", "--dataset", "mnist", "--data-dir", SharedDatasets.mnist.path, "--mnist-limit", "128", "--iterations", "2",
                        "--batch-size", "16", "--width", "16", "--depth", "1", "--latent-dim", "4", "--threads", "1", "--out", run.path]).status == 0)
        let r = gankit(["evaluate", run.path, "--json", "--samples", "200", "--classifier-epochs", "1", "--classifier-limit", "1000",
                        "--cache-dir", dir.appendingPathComponent("cache").path])
        #expect(r.status == 0, "\(r.error)")
        let object = try #require(JSONSerialization.jsonObject(with: Data(r.output.utf8)) as? [String: Any])
        for key in ["inception_score", "fid_classifier", "class_entropy", "total_variation", "classifier_accuracy"] {
            #expect(object[key] is Double, "\(key)")
        }
    }
}
