import Foundation
import GANKitTensor
import Testing
import GANKitSafetensors

/// GANKit's files against the reference implementation (Python `safetensors`, which wraps the Rust
/// crate). Requires `python3` with `safetensors` and `numpy` (`pip install safetensors numpy`); CI
/// installs them. Set `GANKIT_SKIP_PYTHON_INTEROP=1` to skip these tests where Python is unavailable.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["GANKIT_SKIP_PYTHON_INTEROP"] != "1",
                "GANKIT_SKIP_PYTHON_INTEROP=1"))
struct SafetensorsInteroperabilityTests {
    /// What Python reports about one array: its shape and its elements as float32, little-endian hex.
    struct ArrayReport: Decodable {
        var dtype: String
        var shape: [Int]
        var hex: String
    }

    struct Report: Decodable {
        var metadata: [String: String]?
        var tensors: [String: ArrayReport]
    }

    @Test func filesWrittenByGANKitLoadInPythonWithIdenticalValuesAndBytes() throws {
        try Self.requirePython()
        var stream = RandomStream(seed: 11)
        let file = SafetensorsFile(
            tensors: [
                "generator.layers.0.weight": Tensor.normal([8, 5], using: &stream),
                "generator.layers.0.bias": Tensor.normal([8], using: &stream),
                "discriminator.scale": Tensor(0.25),
                "empty": Tensor.zeros([0, 3]),
                "special": Tensor(shape: [2, 2], values: [.infinity, -0.0, .leastNonzeroMagnitude, -.greatestFiniteMagnitude]),
            ],
            metadata: ["format": "pt"])  // one key: Rust orders several metadata keys by hash
        try withTemporaryFolder { folder in
            let written = folder.appendingPathComponent("gankit.safetensors")
            let resaved = folder.appendingPathComponent("python.safetensors")
            let reportURL = folder.appendingPathComponent("report.json")
            try file.write(to: written)
            try Self.runPython(
                """
                import json, sys
                from safetensors import safe_open
                from safetensors.numpy import load_file, save_file
                source, report, resaved = sys.argv[1:4]
                tensors = load_file(source)
                with safe_open(source, framework="np") as f:
                    metadata = f.metadata()
                json.dump({"metadata": metadata, "tensors": {name: {"dtype": str(a.dtype), "shape": list(a.shape), "hex": a.tobytes().hex()}
                                                              for name, a in tensors.items()}}, open(report, "w"))
                save_file(tensors, resaved, metadata=metadata)
                """, arguments: [written.path, reportURL.path, resaved.path])
            let report = try JSONDecoder().decode(Report.self, from: Data(contentsOf: reportURL))
            #expect(report.metadata == file.metadata)
            #expect(Set(report.tensors.keys) == Set(file.tensors.keys))
            for (name, tensor) in file.tensors {
                let array = try #require(report.tensors[name], "Python did not load \(name)")
                #expect(array.dtype == "float32", "\(name)")
                #expect(array.shape == tensor.shape, "\(name)")
                #expect(array.hex == littleEndianHex(tensor), "\(name)")
            }
            // The reference writer produces the same bytes for the same tensors.
            #expect(try Data(contentsOf: resaved) == Data(contentsOf: written))
        }
    }

    @Test func filesWrittenByPythonLoadInGANKit() throws {
        try Self.requirePython()
        try withTemporaryFolder { folder in
            let written = folder.appendingPathComponent("numpy.safetensors")
            let reportURL = folder.appendingPathComponent("report.json")
            try Self.runPython(
                """
                import json, sys
                import numpy as np
                from safetensors.numpy import save_file
                target, report = sys.argv[1:3]
                arrays = {
                    "float32": np.arange(12, dtype=np.float32).reshape(3, 4) / np.float32(7),
                    "float64": np.linspace(-1.0, 1.0, 7).reshape(7, 1) * np.pi,
                    "float16": np.array([[0.5, -2.0, 65504.0], [6e-8, np.inf, np.nan], [-0.0, 1e-5, 0.1]], dtype=np.float16),
                    "scalar64": np.array(3.25, dtype=np.float64),
                    "empty32": np.zeros((0, 3), dtype=np.float32),
                    "int64": np.array([-3, 0, (1 << 40) + 1], dtype=np.int64),
                    "int32": np.array([[1, -2], [3, -4]], dtype=np.int32),
                    "uint8": np.arange(0, 256, 51, dtype=np.uint8),
                }
                save_file(arrays, target, metadata={"source": "numpy", "epoch": "4"})
                json.dump({"tensors": {name: {"dtype": str(a.dtype), "shape": list(a.shape), "hex": a.astype(np.float32).tobytes().hex()}
                                       for name, a in arrays.items()}}, open(report, "w"))
                """, arguments: [written.path, reportURL.path])
            let report = try JSONDecoder().decode(Report.self, from: Data(contentsOf: reportURL))
            let file = try SafetensorsFile.read(from: written)
            #expect(file.metadata == ["source": "numpy", "epoch": "4"])
            #expect(Set(file.tensors.keys) == Set(report.tensors.keys))
            for (name, array) in report.tensors {
                let tensor = try #require(file.tensors[name], "GANKit did not load \(name)")
                #expect(tensor.shape == array.shape, "\(name)")
                #expect(littleEndianHex(tensor) == array.hex, "\(name) (\(array.dtype))")
            }
        }
    }

    // MARK: Python

    static let installHint = "run `pip install safetensors numpy` (CI installs them), or set GANKIT_SKIP_PYTHON_INTEROP=1 to skip these tests"

    /// Fails the test, loudly, when python3 or its modules are missing.
    static func requirePython() throws {
        let (status, output) = try python(["-c", "import safetensors.numpy, numpy"])
        try #require(status == 0, "the safetensors interoperability tests need python3 with the safetensors and numpy modules: \(installHint)\n\(output)")
    }

    static func runPython(_ script: String, arguments: [String]) throws {
        let (status, output) = try python(["-c", script] + arguments)
        try #require(status == 0, "python3 failed with status \(status):\n\(output)")
    }

    /// Runs `python3` with `arguments`; returns its exit status and its stdout and stderr, merged.
    static func python(_ arguments: [String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do {
            try process.run()
        } catch {
            Issue.record("cannot start python3 (\(error)): \(installHint)")
            throw error
        }
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}
