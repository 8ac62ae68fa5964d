import Foundation
import GANKitData
import GANKitTestSupport
import Testing
@testable import GANKitCLI

/// Training on CIFAR-10-format files and on folders of PNG/JPEG images through `gankit train`.
@Suite struct ImageTrainingTests {
    /// Every test's folders decode into a cache of their own.
    init() throws {
        setenv("GANKIT_CACHE_DIR", try makeTemporaryDirectory("gankit-cache").path, 1)
    }

    /// `count` photographs of 48×40 (not square: they are centre-cropped), a third of them JPEG,
    /// in two nested folders.
    func photoFolder(_ count: Int = 12) throws -> URL {
        let dir = try makeTemporaryDirectory("photos")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("set/b"), withIntermediateDirectories: true)
        for k in 0..<count {
            let pixels = (0..<(48 * 40 * 3)).map { UInt8(truncatingIfNeeded: $0 * (k + 1)) }
            let url = dir.appendingPathComponent(k % 2 == 0 ? "set" : "set/b").appendingPathComponent("p\(k)." + (k % 3 == 0 ? "jpg" : "png"))
            if k % 3 == 0 {
                try ImageCodec.encodeJPEG(DecodedImage(width: 48, height: 40, channels: 3, pixels: pixels)).write(to: url)
            } else {
                try PNGWriter.write(pixels: pixels, width: 48, height: 40, channels: 3, to: url)
            }
        }
        return dir
    }

    /// CIFAR-10's published archive with `perBatch` records in each of the five training batches.
    func cifarArchive(perBatch: Int = 4) throws -> URL {
        let dir = try makeTemporaryDirectory("cifar")
        let inner = dir.appendingPathComponent("cifar-10-batches-bin")
        try FileManager.default.createDirectory(at: inner, withIntermediateDirectories: true)
        for k in 1...5 {
            var bytes: [UInt8] = []
            for r in 0..<perBatch { bytes.append(UInt8(r % 10)); bytes += (0..<3072).map { UInt8(truncatingIfNeeded: $0 + r * k) } }
            try Data(bytes).write(to: inner.appendingPathComponent("data_batch_\(k).bin"))
        }
        let tar = Process()
        tar.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        tar.arguments = ["tar", "czf", dir.appendingPathComponent("cifar-10-binary.tar.gz").path, "-C", dir.path, "cifar-10-batches-bin"]
        try tar.run()
        tar.waitUntilExit()
        try FileManager.default.removeItem(at: inner)
        return dir
    }

    let tiny = ["--width", "4", "--batch-size", "4", "--threads", "1", "--iterations", "2", "--sample-every", "1"]

    @Test func dcgan64AndAFivePairSGANTrainFromAFolder() throws {
        let photos = try photoFolder()
        let runs = try makeTemporaryDirectory()
        let single = runs.appendingPathComponent("single")
        var r = gankit(["train", "--dataset", "folder", "--data-dir", photos.path, "--out", single.path] + tiny)
        #expect(r.status == 0, "\(r.error)")
        let config = try JSONSerialization.jsonObject(with: Data(contentsOf: single.appendingPathComponent("config.json"))) as! [String: Any]
        #expect(config["architecture"] as? String == "dcgan" && config["image-size"] as? Int == 64 && config["weight-init"] as? String == "dcgan")
        #expect(config["depth"] == nil && config["leaky-slope"] == nil)
        // The sample grid is 8 × 8 images at the native 64 pixels.
        let grid = try #require(try pngSize(single.appendingPathComponent("samples/iteration-00000002.png")))
        #expect(grid.width >= 8 * 64 && grid.width < 8 * 64 + 40)

        let sgan = runs.appendingPathComponent("sgan")
        r = gankit(["train", "--dataset", "folder", "--data-dir", photos.path, "--topology", "sgan", "--pairs", "5", "--noise", "uniform",
                    "--out", sgan.path] + tiny)
        #expect(r.status == 0, "\(r.error)")
        let tensors = try checkpointTensors(sgan).tensors
        #expect(tensors.keys.contains { $0.hasPrefix("pair5.generator.") } && tensors.keys.contains { $0.hasPrefix("global.discriminator.") })
        // Resumed, it continues on the same (cached) folder.
        r = gankit(["train", "--resume", sgan.path, "--iterations", "3"])
        #expect(r.status == 0, "\(r.error)")
    }

    @Test func dcgan32TrainsFromTheCIFARArchiveAndResumesBitForBit() throws {
        let cifar = try cifarArchive()
        let runs = try makeTemporaryDirectory()
        let whole = runs.appendingPathComponent("whole"), split = runs.appendingPathComponent("split")
        var r = gankit(["train", "--dataset", "cifar10", "--data-dir", cifar.path, "--out", whole.path, "--checkpoint-every", "1"] + tiny + ["--iterations", "4"])
        #expect(r.status == 0, "\(r.error)")
        r = gankit(["train", "--dataset", "cifar10", "--data-dir", cifar.path, "--out", split.path, "--checkpoint-every", "1"] + tiny)
        #expect(r.status == 0, "\(r.error)")
        r = gankit(["train", "--resume", split.path, "--iterations", "4"])
        #expect(r.status == 0, "\(r.error)")
        let a = try checkpointTensors(whole).tensors, b = try checkpointTensors(split).tensors
        #expect(a.keys.sorted() == b.keys.sorted())
        for (name, tensor) in a { #expect(tensor.isBitwiseIdentical(to: b[name]!), "\(name)") }
    }

    @Test func badImageInputIsAnExitTwoNamingTheFileAndWritesNothing() throws {
        let photos = try photoFolder(4)
        let runs = try makeTemporaryDirectory()
        func rejected(_ arguments: [String], _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation) {
            let out = runs.appendingPathComponent(UUID().uuidString)
            let r = gankit(["train", "--out", out.path] + tiny + arguments)
            #expect(r.status == 2, "status \(r.status): \(r.error)", sourceLocation: sourceLocation)
            #expect(r.error.contains(fragment), "\(r.error)", sourceLocation: sourceLocation)
            #expect(!FileManager.default.fileExists(atPath: out.path), sourceLocation: sourceLocation)
        }
        let folder = ["--dataset", "folder", "--data-dir", photos.path]
        rejected(folder + ["--depth", "3"], "--depth")
        rejected(folder + ["--leaky-slope", "0.1"], "--leaky-slope")
        rejected(folder + ["--image-size", "48"], "--image-size")
        rejected(["--dataset", "mnist", "--image-size", "64"], "28×28")
        rejected(["--dataset", "cifar10", "--data-dir", photos.path, "--channels", "1"], "--channels")
        rejected(["--dataset", "ring8", "--skip-bad-images"], "--skip-bad-images")
        rejected(["--dataset", "folder"], "--data-dir")
        rejected(["--dataset", "folder", "--data-dir", runs.appendingPathComponent("missing").path], "missing")

        // A grey image among colour ones, a corrupt one and a text file named .png.
        let grey = photos.appendingPathComponent("set/grey.png")
        try PNGWriter.write(pixels: [UInt8](repeating: 7, count: 64), width: 8, height: 8, channels: 1, to: grey)
        rejected(folder, "grey.png")
        try FileManager.default.removeItem(at: grey)
        let fake = photos.appendingPathComponent("set/b/fake.png")
        try Data("not a picture".utf8).write(to: fake)
        rejected(folder, "fake.png")
        let truncated = photos.appendingPathComponent("set/b/cut.png")
        let whole = try Data(contentsOf: photos.appendingPathComponent("set/b/p1.png"))
        try Data(whole.prefix(whole.count / 2)).write(to: truncated)
        try FileManager.default.removeItem(at: fake)
        rejected(folder, "cut.png")
        try FileManager.default.removeItem(at: truncated)

        // A CIFAR-10 batch of the wrong length names the file.
        let cifar = try makeTemporaryDirectory("cifar-bad")
        for k in 1...5 { try Data(count: 3073 * (k == 3 ? 1 : 2) + (k == 3 ? 10 : 0)).write(to: cifar.appendingPathComponent("data_batch_\(k).bin")) }
        rejected(["--dataset", "cifar10", "--data-dir", cifar.path], "data_batch_3.bin")
    }

    @Test func skippedImagesAreCountedAndAResumeOnAChangedFolderIsRefused() throws {
        let photos = try photoFolder(8)
        try Data("broken".utf8).write(to: photos.appendingPathComponent("set/zz.jpg"))
        try PNGWriter.write(pixels: [UInt8](repeating: 7, count: 64), width: 8, height: 8, channels: 1, to: photos.appendingPathComponent("set/zz.png"))
        let run = try makeTemporaryDirectory().appendingPathComponent("run")
        var r = gankit(["train", "--dataset", "folder", "--data-dir", photos.path, "--skip-bad-images", "--image-size", "28", "--out", run.path] + tiny)
        #expect(r.status == 0, "\(r.error)")
        #expect(r.error.contains("skipped 2 bad image files"), "\(r.error)")
        try PNGWriter.write(pixels: [UInt8](repeating: 7, count: 192), width: 8, height: 8, channels: 3, to: photos.appendingPathComponent("set/new.png"))
        r = gankit(["train", "--resume", run.path, "--iterations", "3"])
        #expect(r.status == 2)
        #expect(r.error.contains("changed since the run started"), "\(r.error)")
        // Every image converted to grey: the grey file is taken in, one channel.
        let grey = run.deletingLastPathComponent().appendingPathComponent("grey")
        r = gankit(["train", "--dataset", "folder", "--data-dir", photos.path, "--channels", "1", "--skip-bad-images", "--image-size", "32",
                    "--architecture", "mlp", "--out", grey.path] + tiny)
        #expect(r.status == 0, "\(r.error)")
        #expect(r.error.contains("skipped 1 bad image file"), "\(r.error)")
    }
}

/// SGAN's MNIST CNN: 4 transposed convolutions 1 → 4 → 7 → 14 → 28, and a mirrored D.
@Suite struct SGANMNISTNetworkTests {
    @Test(.enabled(if: FileManager.default.fileExists(atPath: SharedDatasets.mnist.path)))
    func sganCNNTrainsOnMNISTAndIsRefusedElsewhere() throws {
        let run = try makeTemporaryDirectory().appendingPathComponent("run")
        var r = gankit(["train", "--dataset", "mnist", "--architecture", "sgan-cnn", "--mnist-limit", "64", "--width", "4", "--batch-size", "8",
                        "--iterations", "2", "--threads", "1", "--topology", "sgan", "--pairs", "2", "--out", run.path])
        #expect(r.status == 0, "\(r.error)")
        let tensors = try checkpointTensors(run).tensors
        // G: the 4 transposed convolutions' weights, 100 → 16 → 8 → 4 → 1 channels.
        #expect(tensors["global.generator.network.1.weight"]?.shape == [100, 16, 4, 4])
        #expect(tensors["global.generator.network.4.weight"]?.shape == [16, 8, 3, 3])
        #expect(tensors["global.generator.network.10.weight"]?.shape == [4, 1, 4, 4])
        let grid = try #require(try pngSize(run.appendingPathComponent("samples/iteration-00000002.png")))
        #expect(grid.width >= 8 * 28 && grid.width < 8 * 28 + 40)
        r = gankit(["train", "--dataset", "ring8", "--architecture", "sgan-cnn", "--out", run.path + "-toy"])
        #expect(r.status == 2 && r.error.contains("--architecture"), "\(r.error)")
    }
}
