import GANKitAutodiff
import GANKitTensor
import Testing

/// Finite-difference checks of pooling, resizing and concatenation along channels, first order
/// and (through a gradient penalty) second order.
struct PoolingGradientCheckTests {
    typealias Check = GradientCheckTests

    /// Distinct values spaced ≥ 0.05 apart, so that a step of 0.01 never changes which input a max
    /// pool picks.
    static func spread(_ shape: [Int], seed: UInt64) -> Tensor {
        let count = shape.reduce(1, *)
        var order = Array(0..<count)
        var rng = RandomStream(seed: seed)
        for i in stride(from: count - 1, to: 0, by: -1) { order.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
        return Tensor(shape: shape, values: order.map { Float($0) * 0.05 - Float(count) * 0.025 })
    }

    /// Double backward: the gradient of the penalty ‖∇ₓ Σ (op(x)·p)²‖² with respect to p. The
    /// upstream gradient 2·op(x)·p² depends on p, so this runs through the backward of the op's
    /// backward (a max pool's scatter, an average pool's or a resize's adjoint).
    static func checkPenalty(_ label: String, _ x: Tensor, outputShape: [Int], _ op: @escaping (Variable) -> Variable) {
        Check.check("\(label) penalty", [Check.random(outputShape, seed: 7, low: 0.5, high: 1.5)], step: 5e-3) { p in
            let input = Variable(x, requiresGradient: true)
            let out = (op(input) * p[0]).square().sum()
            return Autodiff.gradients(of: out, wrt: [input], createGraph: true)[0].square().sum()
        }
    }

    @Test func maxPoolingFirstAndSecondOrder() {
        let x = Self.spread([2, 2, 7, 7], seed: 1)
        Check.check("max pool 3 stride 2", [x]) { $0[0].maxPool2d(kernel: 3, stride: 2) }
        Check.check("max pool 3 stride 1 padding 1", [x]) { $0[0].maxPool2d(kernel: 3, stride: 1, padding: 1) }
        Self.checkPenalty("max pool", x, outputShape: [2, 2, 3, 3]) { $0.maxPool2d(kernel: 3, stride: 2) }
    }

    @Test func averagePoolingFirstAndSecondOrder() {
        let x = Check.random([2, 3, 6, 7], seed: 3)
        for include in [false, true] {
            Check.check("avg pool 3/1/1 include \(include)", [x]) { $0[0].avgPool2d(kernel: 3, stride: 1, padding: 1, countIncludePad: include) }
            Check.check("avg pool 3/2/1 include \(include)", [x]) { $0[0].avgPool2d(kernel: 3, stride: 2, padding: 1, countIncludePad: include) }
        }
        Check.check("adaptive avg pool", [x]) { $0[0].adaptiveAvgPool2d() }
        Self.checkPenalty("avg pool", x, outputShape: [2, 3, 6, 7]) { $0.avgPool2d(kernel: 3, stride: 1, padding: 1, countIncludePad: false) }
        Self.checkPenalty("adaptive avg pool", x, outputShape: [2, 3, 1, 1]) { $0.adaptiveAvgPool2d() }
    }

    @Test func bilinearResizingFirstAndSecondOrder() {
        let x = Check.random([2, 2, 5, 6], seed: 4)
        Check.check("resize up", [x]) { $0[0].resizedBilinear(height: 9, width: 11) }
        Check.check("resize down", [x]) { $0[0].resizedBilinear(height: 3, width: 4) }
        Self.checkPenalty("resize", x, outputShape: [2, 2, 7, 8]) { $0.resizedBilinear(height: 7, width: 8) }
    }

    @Test func concatenationAlongChannels() {
        Check.check("concatenate NCHW axis 1", [Check.random([2, 2, 3, 3], seed: 5), Check.random([2, 1, 3, 3], seed: 6)]) {
            Variable.concatenate([$0[0], $0[1]], axis: 1)
        }
    }
}
