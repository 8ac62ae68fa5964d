import Foundation
import GANKitInterop
import GANKitNN
import GANKitSafetensors
import GANKitTensor
import GANKitTestSupport
import GANKitTraining
import Testing
@testable import GANKitCLI

/// GANKit's exports run in PyTorch (the `gankit_torch` package of `python/`) and in ONNX Runtime and
/// give GANKit's outputs on the same inputs, to 1e-5.
@Suite(.serialized) struct InteroperabilityTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// One network to compare: its files and GANKit's output on `input`.
    struct Case: Encodable {
        var name: String
        var role: String
        var weights: String
        var onnx: String?
        var input: String
        var expected: String
    }

    static func noise(_ shape: [Int], seed: UInt64) -> Tensor {
        var rng = RandomStream(seed: seed)
        return Tensor.normal(shape, using: &rng)
    }

    static func write(_ t: Tensor, _ url: URL) throws { try NumPyFile.encode(t).write(to: url) }

    /// Runs the Python checker on `cases`; fails the test with its output if anything differs.
    static func check(_ cases: [Case], in dir: URL) throws {
        let manifest = dir.appendingPathComponent("manifest.json")
        try JSONEncoder().encode(cases).write(to: manifest)
        let python = repository.appendingPathComponent("python")
        let r = try ExternalProcess.run("python3", [python.appendingPathComponent("tests/check_exports.py").path, manifest.path],
                                        environment: ["PYTHONPATH": python.path])
        #expect(r.status == 0, "\(r.output)\(r.error)")
        #expect(r.output.components(separatedBy: "\n").filter { $0.hasPrefix("ok") }.count == cases.count * 2 - cases.filter { $0.onnx == nil }.count,
                "\(r.output)")
    }

    @Test func runsExportedThroughTheCommandLineMatchInPyTorchAndONNXRuntime() throws {
        guard !ExternalProcess.skipPython else { return }
        let dir = try makeTemporaryDirectory("interop")
        let runs: [(String, [String])] = [
            ("mlp", ["--dataset", "ring8", "--topology", "single", "--width", "32", "--depth", "2", "--latent-dim", "8", "--batch-size", "32"]),
            ("sgan-g0", tinyToy),
            ("dcgan28", ["--dataset", "mnist", "--data-dir", SharedDatasets.mnist.path, "--mnist-limit", "64", "--architecture", "dcgan",
                         "--width", "8", "--latent-dim", "16", "--batch-size", "16", "--objective", "non-saturating", "--topology", "single"]),
        ]
        var cases: [Case] = []
        for (name, arguments) in runs {
            let run = dir.appendingPathComponent(name)
            let trained = gankit(["train"] + arguments + ["--iterations", "4", "--eval-every", "0", "--threads", "1", "--out", run.path])
            try #require(trained.status == 0, "\(trained.error)")
            let loaded = try LoadedRun(run.path)
            let z = Self.noise([20, loaded.configuration.networks.latentDimension], seed: 7)
            let zFile = dir.appendingPathComponent("\(name)-z.npy"), xFile = dir.appendingPathComponent("\(name)-x.npy")
            try Self.write(z, zFile)
            for arguments in [["sample", run.path, "--noise", zFile.path, "--output", xFile.path],
                              ["export", run.path, "--output", dir.appendingPathComponent("\(name).safetensors").path],
                              ["export", run.path, "--output", dir.appendingPathComponent("\(name).onnx").path]] {
                let r = gankit(arguments)
                try #require(r.status == 0, "\(arguments): \(r.error)")
            }
            cases.append(Case(name: name, role: "generator", weights: dir.appendingPathComponent("\(name).safetensors").path,
                              onnx: dir.appendingPathComponent("\(name).onnx").path, input: zFile.path, expected: xFile.path))
        }
        // DCGAN's discriminator, with BatchNorm, on the generator's samples.
        let run = dir.appendingPathComponent("dcgan28")
        let d = try LoadedRun(run.path).discriminator(0)
        d.setTraining(false)
        let x = try NumPyFile.decode(Data(contentsOf: dir.appendingPathComponent("dcgan28-x.npy")), file: "x")
        try Self.write(d(x), dir.appendingPathComponent("dcgan28-d.npy"))
        for (format, ext) in [("safetensors", "safetensors"), ("onnx", "onnx")] {
            let r = gankit(["export", run.path, "--discriminator", "0", "--format", format, "--output", dir.appendingPathComponent("d.\(ext)").path])
            try #require(r.status == 0, "\(r.error)")
        }
        cases.append(Case(name: "dcgan28-discriminator", role: "discriminator", weights: dir.appendingPathComponent("d.safetensors").path,
                          onnx: dir.appendingPathComponent("d.onnx").path, input: dir.appendingPathComponent("dcgan28-x.npy").path,
                          expected: dir.appendingPathComponent("dcgan28-d.npy").path))
        try Self.check(cases, in: dir)
    }

    /// DCGAN at CIFAR's and CelebA's sizes, built through the library (the command line trains on
    /// 28×28 images today), with BatchNorm statistics moved away from their initial 0 and 1.
    @Test(arguments: [32, 64])
    func dcganGeneratorsAtThePapersSizesMatchInPyTorchAndONNXRuntime(_ size: Int) throws {
        guard !ExternalProcess.skipPython else { return }
        let dir = try makeTemporaryDirectory("interop-\(size)")
        var configuration = TrainingConfiguration()
        configuration.networks = NetworkConfiguration(architecture: .dcgan(width: 8), latentDimension: 16, sampleShape: [3, size, size])
        var rng = RandomStream(seed: 3)
        let g = configuration.networks.makeGenerator(using: &rng)
        for seed in 0..<3 { _ = g(Self.noise([8, 16], seed: UInt64(seed))) }
        let architecture = try ArchitectureFile.generator(g, configuration: configuration, source: .init(player: "G"))
        let weights = dir.appendingPathComponent("g.safetensors"), onnx = dir.appendingPathComponent("g.onnx")
        try SafetensorsFile(tensors: g.stateDictionary, metadata: ["gankit.architecture": String(decoding: architecture.encoded(), as: UTF8.self)])
            .write(to: weights)
        try ONNXExport.model(architecture, tensors: g.stateDictionary).write(to: onnx)
        let z = Self.noise([6, 16], seed: 11)
        try Self.write(z, dir.appendingPathComponent("z.npy"))
        try Self.write(GeneratorSampling.samples(g, noise: z), dir.appendingPathComponent("x.npy"))
        try Self.check([Case(name: "dcgan\(size)", role: "generator", weights: weights.path, onnx: onnx.path,
                             input: dir.appendingPathComponent("z.npy").path, expected: dir.appendingPathComponent("x.npy").path)], in: dir)
    }

    /// The character-level nets (1-D convolutions, residual blocks, softmax), generator and critic.
    @Test func charResNetMatchesInPyTorchAndONNXRuntime() throws {
        guard !ExternalProcess.skipPython else { return }
        let dir = try makeTemporaryDirectory("interop-text")
        var configuration = TrainingConfiguration(objective: Objective(.wganGP))
        configuration.networks = NetworkConfiguration(architecture: .charResNet(width: 8, blocks: 2), latentDimension: 6, sampleShape: [11, 7])
        var rng = RandomStream(seed: 5)
        let g = configuration.networks.makeGenerator(using: &rng)
        let d = configuration.networks.makeDiscriminator(batchNorm: false, using: &rng)
        var cases: [Case] = []
        let z = Self.noise([5, 6], seed: 2)
        let x = GeneratorSampling.samples(g, noise: z)
        for (role, net, input, output) in [("generator", g, z, x), ("discriminator", d, x, d(x))] {
            let architecture = role == "generator" ? try ArchitectureFile.generator(net, configuration: configuration)
                                                   : try ArchitectureFile.discriminator(net, configuration: configuration)
            let weights = dir.appendingPathComponent("\(role).safetensors"), onnx = dir.appendingPathComponent("\(role).onnx")
            try SafetensorsFile(tensors: net.stateDictionary, metadata: ["gankit.architecture": String(decoding: architecture.encoded(), as: UTF8.self)])
                .write(to: weights)
            try ONNXExport.model(architecture, tensors: net.stateDictionary).write(to: onnx)
            try Self.write(input, dir.appendingPathComponent("\(role)-in.npy"))
            try Self.write(output, dir.appendingPathComponent("\(role)-out.npy"))
            cases.append(Case(name: "char-resnet \(role)", role: role, weights: weights.path, onnx: onnx.path,
                              input: dir.appendingPathComponent("\(role)-in.npy").path, expected: dir.appendingPathComponent("\(role)-out.npy").path))
        }
        try Self.check(cases, in: dir)
    }

    /// The README's section on using networks elsewhere runs as written, in order, in a fresh directory.
    @Test func readmeSnippetsRun() throws {
        guard !ExternalProcess.skipPython else { return }
        let readme = try String(contentsOf: Self.repository.appendingPathComponent("README.md"), encoding: .utf8)
        let begin = try #require(readme.range(of: "<!-- interop snippets: begin -->"))
        let end = try #require(readme.range(of: "<!-- interop snippets: end -->"))
        let section = readme[begin.upperBound..<end.lowerBound]
        var blocks: [(language: String, code: String)] = []
        var lines = section.split(separator: "\n", omittingEmptySubsequences: false)[...]
        while let line = lines.popFirst() {
            guard line.hasPrefix("```"), line.count > 3 else { continue }
            var code: [Substring] = []
            while let next = lines.popFirst(), next != "```" { code.append(next) }
            blocks.append((String(line.dropFirst(3)), code.joined(separator: "\n")))
        }
        #expect(blocks.map(\.language) == ["sh", "python", "python", "sh", "python", "sh"])
        let dir = try makeTemporaryDirectory("readme")
        let binary = try ExperimentRunner.gankitExecutable().path
        for (index, block) in blocks.enumerated() {
            let script: String
            if block.language == "sh" {
                script = block.code.replacingOccurrences(of: "swift run -c release gankit", with: binary)
            } else {
                let file = dir.appendingPathComponent("snippet-\(index).py")
                try block.code.write(to: file, atomically: true, encoding: .utf8)
                script = "python3 \(file.path)"
            }
            let r = try ExternalProcess.run("bash", ["-c", "set -e; cd '\(dir.path)'; \(script)"],
                                            environment: ["PYTHONPATH": Self.repository.appendingPathComponent("python").path])
            try #require(r.status == 0, "README snippet \(index) (\(block.language)) failed:\n\(block.code)\n\(r.output)\(r.error)")
        }
        let options = try String(contentsOf: dir.appendingPathComponent("runs/from-pytorch/config.json"), encoding: .utf8)
        #expect(options.contains("\"init-from\" : \"init.safetensors\""))
    }
}
