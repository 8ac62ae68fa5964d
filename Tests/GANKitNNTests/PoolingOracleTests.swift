import Foundation
import GANKitAutodiff
import GANKitNN
import GANKitTensor
import GANKitTestSupport
import Testing

/// The Inception network's operations against PyTorch: max and average pooling (both
/// `count_include_pad` choices), adaptive average pooling, bilinear resizing with
/// `align_corners=False` and concatenation along channels. Forward values, input gradients, and
/// the double backward of a gradient penalty taken through a convolution in front of each op.
/// PyTorch computes the cases at test time, in the oracle's format (`Python/pooling_ops_oracle.py`).
@Suite(.serialized) struct PoolingOracleTests {
    static let cases: [String: OracleCase] = ExternalProcess.skipPython ? [:] : Oracle.generate(
        script: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Python/pooling_ops_oracle.py"),
        label: "pooling-oracle")

    static func expectClose(_ got: Tensor, _ c: OracleCase, _ key: String, sourceLocation: SourceLocation = #_sourceLocation) {
        if let v = maxViolation(got, c.expected(key), rtol: 1e-4, atol: 1e-5) { Issue.record("\(c.name) \(key): \(v)", sourceLocation: sourceLocation) }
    }

    /// The case's op as a layer, the way a network uses it.
    static func layer(_ c: OracleCase) -> Module {
        let config = c.config
        switch config["op"]!.string! {
        case "max_pool":
            return MaxPool2d(kernel: config["kernel"]!.int!, stride: config["stride"]!.int!, padding: config["padding"]!.int!)
        case "avg_pool":
            return AvgPool2d(kernel: config["kernel"]!.int!, stride: config["stride"]!.int!, padding: config["padding"]!.int!,
                             countIncludePad: config["count_include_pad"]!.bool!)
        case "adaptive_avg_pool":
            return GlobalAvgPool2d()
        default:
            return ResizeLayer(height: config["height"]!.int!, width: config["width"]!.int!)
        }
    }

    /// Bilinear resizing as a one-off layer, so that every case runs through `Module.forward`.
    final class ResizeLayer: Module, @unchecked Sendable {
        let height: Int, width: Int
        init(height: Int, width: Int) { self.height = height; self.width = width }
        override func forward(_ input: Variable) -> Variable { input.resizedBilinear(height: height, width: width) }
        override func copy() -> Module { ResizeLayer(height: height, width: width) }
    }

    @Test(.enabled(if: !ExternalProcess.skipPython), arguments: [
        "max_pool_3s2", "max_pool_3s1p1", "avg_pool_3s1p1_exclude_pad", "avg_pool_3s1p1_include_pad", "avg_pool_3s2p1_exclude_pad",
        "avg_pool_5s3_include_pad", "adaptive_avg_pool", "resize_up", "resize_down", "resize_32_to_299",
    ])
    func matchesPyTorchToSecondOrder(_ name: String) throws {
        let c = try #require(Self.cases[name])
        let op = Self.layer(c)
        let x = Variable(c.input("x"), requiresGradient: true)
        let y = op(x)
        Self.expectClose(y.value, c, "y")
        Self.expectClose(Autodiff.gradients(of: y, wrt: [x], seed: c.input("upstream"))[0].value, c, "grad_x")
        let w = Variable(c.input("weight"), requiresGradient: true)
        let z = op(Variable.conv2d(x, weight: w, stride: 1, padding: 1))
        let gx = Autodiff.gradients(of: z, wrt: [x], seed: c.input("upstream"), createGraph: true)[0]
        Self.expectClose(Autodiff.gradients(of: gx.square().sum(), wrt: [w])[0].value, c, "penalty_grad_weight")
    }

    @Test(.enabled(if: !ExternalProcess.skipPython))
    func concatenationAlongChannelsMatchesPyTorch() throws {
        let c = try #require(Self.cases["concatenate_channels"])
        let parts = ["a", "b", "c"].map { Variable(c.input($0), requiresGradient: true) }
        let y = Variable.concatenate(parts, axis: 1)
        Self.expectClose(y.value, c, "y")
        let g = Autodiff.gradients(of: y, wrt: parts, seed: c.input("upstream"))
        for (key, grad) in zip(["grad_a", "grad_b", "grad_c"], g) { Self.expectClose(grad.value, c, key) }
    }

    @Test func channelConcatenationJoinsNamedBranchesInOrder() throws {
        var rng = RandomStream(seed: 3)
        let block = ChannelConcatenation([
            ("branch1x1", Conv2d(inputChannels: 2, outputChannels: 3, kernelSize: 1, using: &rng)),
            ("branch_pool", Sequential([AvgPool2d(kernel: 3, stride: 1, padding: 1, countIncludePad: false),
                                        Conv2d(inputChannels: 2, outputChannels: 4, kernelSize: 1, using: &rng)])),
            ("pool", MaxPool2d(kernel: 3, stride: 1, padding: 1)),
        ])
        #expect(block.namedParameters.map(\.0) == ["branch1x1.weight", "branch1x1.bias", "branch_pool.1.weight", "branch_pool.1.bias"])
        let x = Tensor.normal([2, 2, 5, 5], using: &rng)
        let y = block(x)
        #expect(y.shape == [2, 9, 5, 5])
        let first = block.branches[0].1(x), last = block.branches[2].1(x)
        #expect(y.slice(axis: 1, 0..<3).isBitwiseIdentical(to: first))
        #expect(y.slice(axis: 1, 7..<9).isBitwiseIdentical(to: last))
        let copy = block.copy()
        #expect(copy(x).isBitwiseIdentical(to: y))
        #expect(block.layerDescription == nil)  // the architecture file cannot describe it: export refuses
    }
}
