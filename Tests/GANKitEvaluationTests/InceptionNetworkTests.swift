import Foundation
import GANKitAutodiff
import GANKitEvaluation
import GANKitMetrics
import GANKitSafetensors
import GANKitTensor
import GANKitTestSupport
import Testing

/// The FID Inception network against pytorch-fid 0.3.0 itself: its network with random weights
/// (`Python/fid_inception_reference.py`), converted by `scripts/convert-inception-weights` as a
/// user would convert the official file, on two sets of 8 CIFAR-sized images.
@Suite(.serialized) struct InceptionNetworkTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    struct Reference: @unchecked Sendable {
        let network: InceptionNetwork
        let expected: [String: Tensor]
        let directory: URL
    }

    /// PyTorch's network, images and outputs, computed once (about 30 s of PyTorch).
    static let reference: Reference? = {
        guard !ExternalProcess.skipPython else { return nil }
        let dir = try! makeTemporaryDirectory("fid-inception")
        let script = repository.appendingPathComponent("Tests/GANKitEvaluationTests/Python/fid_inception_reference.py")
        let r = try! ExternalProcess.run("python3", [script.path, dir.path])
        precondition(r.status == 0, "fid_inception_reference.py failed: \(r.error)")
        let weights = dir.appendingPathComponent("weights.safetensors")
        let converted = try! ExternalProcess.run("python3", [repository.appendingPathComponent("scripts/convert-inception-weights").path,
                                                             dir.appendingPathComponent("weights.pth").path, weights.path])
        precondition(converted.status == 0, "convert-inception-weights failed: \(converted.error)")
        let expected = try! SafetensorsFile.read(from: dir.appendingPathComponent("reference.safetensors")).tensors
        return Reference(network: try! InceptionNetwork(contentsOf: weights), expected: expected, directory: dir)
    }()

    /// ‖a − e‖ / ‖e‖ per row of `[N, D]`, the worst row.
    static func relativeError(_ a: Tensor, _ e: Tensor) -> Double {
        precondition(a.shape == e.shape, "shape \(a.shape) vs \(e.shape)")
        let (n, d) = (e.shape[0], e.shape[1]), x = a.scalars, y = e.scalars
        var worst = 0.0
        for i in 0..<n {
            var difference = 0.0, norm = 0.0
            for k in 0..<d {
                let (u, v) = (Double(x[i * d + k]), Double(y[i * d + k]))
                difference += (u - v) * (u - v); norm += v * v
            }
            worst = max(worst, (difference / norm).squareRoot())
        }
        return worst
    }

    @Test(.enabled(if: !ExternalProcess.skipPython))
    func poolFeaturesLogitsAndFIDMatchPytorchFID() throws {
        let reference = try #require(Self.reference)
        let e = reference.expected
        // Batches of 3: two full batches and a partial one per set.
        let a = try reference.network.features(of: try #require(e["images_a"]), range: .unit, batchSize: 3, threads: 2)
        let b = try reference.network.features(of: try #require(e["images_b"]), range: .unit, batchSize: 3, threads: 2)
        let poolError = max(Self.relativeError(a.pool, try #require(e["pool_a"])), Self.relativeError(b.pool, try #require(e["pool_b"])))
        #expect(poolError < 1e-4, "pool features differ from pytorch-fid's by \(poolError) (relative, worst image)")
        let logitError = max(Self.relativeError(try #require(a.logits), try #require(e["logits_a"])),
                             Self.relativeError(try #require(b.logits), try #require(e["logits_b"])))
        #expect(logitError < 1e-4, "logits differ from PyTorch's by \(logitError) (relative, worst image)")
        let fid = try FrechetDistance.compute(a.pool, b.pool)
        let expectedFID = Double(try #require(e["fid"]).scalars[0])
        #expect(abs(fid - expectedFID) <= 1e-3 * expectedFID, "FID \(fid), PyTorch's \(expectedFID)")
        let logits = Tensor.concatenate([try #require(a.logits), try #require(b.logits)])
        let probabilities = Autodiff.withoutRecording { Variable(logits).softmax(axis: 1).value }
        let score = try InceptionScore.compute(probabilities: probabilities, splits: 2).mean
        // Compared as logarithms (the mean KL divergence): random weights give scores near 1.
        let expectedScore = exp(Double(try #require(e["log_inception_score"]).scalars[0]))
        #expect(abs(log(score) - log(expectedScore)) <= 1e-4 * log(expectedScore), "Inception score \(score), PyTorch's \(expectedScore)")
        print("InceptionNetworkTests: pool features within \(poolError), logits within \(logitError), FID \(fid) against \(expectedFID), IS \(score) against \(expectedScore)")
    }

    @Test(.enabled(if: !ExternalProcess.skipPython))
    func imagesInMinusOneToOneGiveTheSameFeaturesAsInZeroToOne() throws {
        let reference = try #require(Self.reference)
        let unit = try #require(reference.expected["images_a"]).slice(axis: 0, 0..<4)
        let symmetric = unit.map { 2 * $0 - 1 }
        let fromUnit = try reference.network.features(of: unit, range: .unit).pool
        let fromSymmetric = try reference.network.features(of: symmetric, range: .symmetric).pool
        #expect(Self.relativeError(fromSymmetric, fromUnit) < 1e-5)
    }

    /// Random weights of the right shapes (the benchmark's) build the whole network, and a batch
    /// gives what its images give one at a time, at 1 and at 2 threads.
    @Test func featuresDoNotDependOnTheBatchingOrThreadCount() throws {
        let network = try InceptionNetwork(weights: .random(seed: 5))
        var rng = RandomStream(seed: 6)
        let images = Tensor.uniform([3, 3, 32, 32], using: &rng)
        let together = try network.features(of: images, range: .unit, batchSize: 3, threads: 2)
        let alone = try network.features(of: images, range: .unit, batchSize: 1, threads: 1)
        #expect(together.pool.shape == [3, 2048] && together.logits?.shape == [3, 1008])
        #expect(together.pool.isFinite && together.pool.scalars.contains { $0 > 0 })
        #expect(Self.relativeError(together.pool, alone.pool) < 1e-5)
        #expect(Self.relativeError(try #require(together.logits), try #require(alone.logits)) < 1e-5)
    }

    @Test func imagesThatAreNotRGBAreRefused() throws {
        let network = try InceptionNetwork(weights: .random(seed: 5))
        #expect(throws: InceptionError.badImages(shape: [2, 1, 28, 28], reason: "expected [N, 3, H, W]")) {
            _ = try network.features(of: Tensor.zeros([2, 1, 28, 28]), range: .symmetric)
        }
    }

    @Test func aMissingTensorIsNamedWithItsShape() {
        #expect(throws: InceptionError.missingTensor(file: "w.safetensors", name: "Conv2d_1a_3x3.conv.weight", expectedShape: [32, 3, 3, 3])) {
            _ = try InceptionNetwork(weights: InceptionWeights(tensors: [:], file: "w.safetensors"))
        }
    }

    @Test func aWrongShapeNamesTheTensorAndBothShapes() {
        let wrong = InceptionWeights(tensors: ["Conv2d_1a_3x3.conv.weight": Tensor.zeros([32, 3, 5, 5])], file: "w.safetensors")
        let error = InceptionError.wrongShape(file: "w.safetensors", name: "Conv2d_1a_3x3.conv.weight", expectedShape: [32, 3, 3, 3], foundShape: [32, 3, 5, 5])
        #expect(throws: error) { _ = try InceptionNetwork(weights: wrong) }
        #expect(error.description.contains("[32, 3, 5, 5]") && error.description.contains("[32, 3, 3, 3]") && error.description.contains("Conv2d_1a_3x3.conv.weight"))
    }

    @Test(.enabled(if: !ExternalProcess.skipPython))
    func theConverterRefusesAStateDictOfAnotherNetwork() throws {
        let dir = try makeTemporaryDirectory("inception-convert")
        let other = dir.appendingPathComponent("other.pth")
        let made = try ExternalProcess.run("python3", ["-c", "import torch; torch.save({'layers.0.weight': torch.zeros(2, 2)}, '\(other.path)')"])
        try #require(made.status == 0, "\(made.error)")
        let r = try ExternalProcess.run("python3", [Self.repository.appendingPathComponent("scripts/convert-inception-weights").path,
                                                    other.path, dir.appendingPathComponent("out.safetensors").path])
        #expect(r.status == 2)
        #expect(r.error.contains("layers.0.weight"), "\(r.error)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out.safetensors").path))
    }
}
