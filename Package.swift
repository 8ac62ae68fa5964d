// swift-tools-version: 6.1
import PackageDescription

/// The layers of GANKit, each depending only on those below it:
/// C shims → GANKitTensor → GANKitAutodiff → GANKitNN, GANKitSafetensors → GANKitTraining
/// → GANKitData, GANKitMetrics → GANKitEvaluation → GANKit (the umbrella library), GANKitReport,
/// GANKitInterop (on the generated ONNXProto), GANKitDistributed (on Open MPI) → GANKitCLI → the `gankit` and `gankit-bench` tools.
let package = Package(
    name: "GANKit",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "GANKit", targets: ["GANKit"]),
        .executable(name: "gankit", targets: ["gankit"]),
        .executable(name: "gankit-bench", targets: ["gankit-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
    ],
    targets: [
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CSystemImage", providers: [.apt(["libpng-dev", "libjpeg-dev", "zlib1g-dev"])]),
        // libjpeg reports corrupt files by longjmp, which Swift cannot do: a small C target does it.
        .target(name: "CImageCodecs", linkerSettings: [.linkedLibrary("jpeg")]),
        .systemLibrary(name: "CMalloc"),
        .systemLibrary(name: "COpenMPI", pkgConfig: "ompi-c", providers: [.apt(["libopenmpi-dev"])]),
        // Elementwise loops compiled per instruction set (AVX-512, AVX2, baseline), picked at load.
        .target(name: "CVectorKernels"),
        .target(name: "GANKitTensor", dependencies: ["COpenBLAS", "CMalloc", "CVectorKernels"]),
        .target(name: "GANKitAutodiff", dependencies: ["GANKitTensor"]),
        .target(name: "GANKitNN", dependencies: ["GANKitAutodiff", "GANKitTensor", "CVectorKernels"]),
        .target(name: "GANKitSafetensors", dependencies: ["GANKitTensor"]),
        .target(name: "GANKitData", dependencies: ["GANKitTensor", "CSystemImage", "CImageCodecs"]),
        .target(name: "GANKitMetrics", dependencies: ["GANKitTensor", "GANKitData", "COpenBLAS"]),
        .target(name: "GANKitTraining", dependencies: ["GANKitNN", "GANKitAutodiff", "GANKitTensor", "GANKitData"]),
        .target(name: "GANKitEvaluation", dependencies: [
            "GANKitTraining", "GANKitMetrics", "GANKitData", "GANKitNN", "GANKitSafetensors", "GANKitTensor",
        ]),
        // SGAN over the ranks of an Open MPI job: the transport for GANKitTraining's rank schedule.
        .target(name: "GANKitDistributed", dependencies: ["COpenMPI", "GANKitTraining"]),
        .target(name: "GANKit", dependencies: [
            "GANKitEvaluation",
            "GANKitTensor", "GANKitAutodiff", "GANKitNN", "GANKitSafetensors", "GANKitData", "GANKitMetrics", "GANKitTraining",
        ]),
        .target(name: "GANKitReport", dependencies: ["GANKitData", "GANKitTensor"]),
        // ONNX's message types, generated from onnx.proto (ONNX 1.23, Apache-2.0) by
        // scripts/generate-onnx-proto and committed: protoc's Swift plugin takes minutes to build.
        .target(name: "ONNXProto", dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")], exclude: ["onnx.proto"]),
        // What carries a network to other frameworks: the architecture file, ONNX, NumPy arrays.
        .target(name: "GANKitInterop", dependencies: ["ONNXProto", "GANKitTraining", "GANKitNN", "GANKitTensor", "GANKitSafetensors"]),
        // The commands live in a library so tests can run them in-process; it imports the layers it
        // uses rather than the umbrella, whose name its root command `GANKit` would shadow.
        .target(name: "GANKitCLI", dependencies: [
            "GANKitReport", "GANKitEvaluation", "GANKitInterop", "GANKitDistributed", "GANKitTraining", "GANKitData", "GANKitNN", "GANKitSafetensors", "GANKitTensor",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Yams", package: "Yams"),
        ]),
        .executableTarget(name: "gankit", dependencies: ["GANKitCLI"]),
        .executableTarget(
            name: "gankit-bench",
            dependencies: ["GANKit", "GANKitDistributed", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .target(name: "GANKitTestSupport", dependencies: ["GANKitTensor"], path: "Tests/GANKitTestSupport"),
        .testTarget(name: "GANKitTensorTests", dependencies: ["GANKitTensor", "CVectorKernels", "GANKitTestSupport"]),
        .testTarget(name: "GANKitAutodiffTests", dependencies: ["GANKitAutodiff", "GANKitTestSupport"]),
        .testTarget(name: "GANKitNNTests", dependencies: ["GANKitNN", "GANKitTestSupport"], exclude: ["Python"]),
        .testTarget(name: "GANKitSafetensorsTests", dependencies: ["GANKitSafetensors", "GANKitTestSupport"]),
        .testTarget(name: "GANKitDataTests", dependencies: ["GANKitData", "GANKitTestSupport"]),
        .testTarget(name: "GANKitMetricsTests", dependencies: ["GANKitMetrics", "GANKitData", "GANKitTestSupport"]),
        .testTarget(name: "GANKitTrainingTests", dependencies: ["GANKitTraining", "GANKitMetrics", "GANKitTestSupport"]),
        .testTarget(name: "GANKitEvaluationTests", dependencies: ["GANKitEvaluation", "GANKitAutodiff", "GANKitMetrics", "GANKitSafetensors", "GANKitTestSupport"], exclude: ["Python"]),
        .testTarget(name: "GANKitInteropTests", dependencies: ["GANKitInterop", "GANKitTraining", "GANKitNN", "GANKitTestSupport"]),
        .testTarget(name: "GANKitReportTests", dependencies: ["GANKitReport", "GANKitTensor", "GANKitTestSupport"]),
        .testTarget(name: "GANKitCLITests", dependencies: [
            "GANKitCLI", "GANKitEvaluation", "GANKitInterop", "GANKitReport", "GANKitTraining", "GANKitData", "GANKitSafetensors",
            "GANKitTestSupport",
        ]),
    ]
)

// libFuzzer harnesses (Fuzz/README.md), declared only when GANKIT_FUZZ=1: `scripts/fuzz` sets it
// and builds them with `--sanitize=fuzzer --sanitize=address` in `.build-fuzz`, so the normal
// build and test never compile them.
if Context.environment["GANKIT_FUZZ"] == "1" {
    let harnesses: [(name: String, dependencies: [Target.Dependency])] = [
        ("fuzz-idx", ["GANKitData"]), ("fuzz-gzip", ["GANKitData"]), ("fuzz-cifar10", ["GANKitData"]), ("fuzz-tar", ["GANKitData"]),
        ("fuzz-png", ["GANKitData"]), ("fuzz-jpeg", ["GANKitData"]), ("fuzz-packed-image", ["GANKitData"]), ("fuzz-text", ["GANKitData"]),
        ("fuzz-safetensors", ["GANKitSafetensors"]), ("fuzz-npy", ["GANKitInterop"]),
        ("fuzz-config", ["GANKitCLI"]), ("fuzz-checkpoint", ["GANKitCLI"]),
    ]
    package.targets.append(.target(name: "GANKitFuzzSupport", path: "Fuzz/Sources/GANKitFuzzSupport"))
    for harness in harnesses {
        package.targets.append(.executableTarget(
            name: harness.name, dependencies: harness.dependencies + ["GANKitFuzzSupport"], path: "Fuzz/Sources/\(harness.name)",
            // libFuzzer supplies `main`; the harness only defines LLVMFuzzerTestOneInput.
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]))
    }
}
