import Foundation
import GANKitAutodiff
import GANKitTensor

/// Spectral normalisation (Miyato et al. 2018): a layer computes with W / σ(W), σ the largest
/// singular value of W read as a matrix `[out, in·k…]`, which bounds the layer's Lipschitz
/// constant by 1 and so the discriminator's (a constraint, like WGAN-GP's penalty, that keeps its
/// gradients informative).
///
/// σ is estimated as PyTorch's `torch.nn.utils.spectral_norm` does: vectors u and v kept between
/// passes take one step of power iteration (v ← Wᵀu / ‖Wᵀu‖, u ← Wv / ‖Wv‖) at every forward pass in
/// training mode, then σ = uᵀWv with u and v held constant, so that gradients (and a penalty's
/// double backward) flow through σ's dependence on W alone. One difference: only passes that
/// record a graph (training steps) move u and v, so that evaluating a discriminator during a run
/// (metrics, plots) leaves its training untouched and may run on several threads. The layer's
/// state is named as PyTorch names it: `weight_orig` (the trained parameter), `weight_u`, `weight_v`.
public final class SpectralNormalization: @unchecked Sendable {
    /// u, `[out]`: the estimate of the leading left singular vector.
    public let u: Buffer
    /// v, `[in·k…]`: the estimate of the leading right singular vector.
    public let v: Buffer
    /// Power-iteration steps per training forward pass (PyTorch's default 1).
    public let iterations: Int
    /// The floor of a norm divided by (PyTorch's 1e-12).
    public static let epsilon: Float = 1e-12

    /// u and v drawn from N(0, 1) and normalised, as PyTorch starts them.
    public init(weightShape: [Int], iterations: Int = 1, using rng: inout RandomStream) {
        precondition(weightShape.count >= 2 && iterations >= 0, "spectral normalisation needs a weight of rank ≥ 2, got \(weightShape)")
        let rows = weightShape[0], columns = weightShape.dropFirst().reduce(1, *)
        u = Buffer(Self.normalized(Tensor.normal([rows], using: &rng)))
        v = Buffer(Self.normalized(Tensor.normal([columns], using: &rng)))
        self.iterations = iterations
    }

    private init(copying other: SpectralNormalization) {
        u = Buffer(other.u.value)
        v = Buffer(other.v.value)
        iterations = other.iterations
    }

    public func copy() -> SpectralNormalization { SpectralNormalization(copying: self) }

    /// The buffers as a layer lists them.
    public var namedBuffers: [(String, Buffer)] { [("weight_u", u), ("weight_v", v)] }

    /// W / σ(W); in training mode u and v first take their power-iteration steps.
    public func normalize(_ weight: Variable, training: Bool) -> Variable {
        let rows = weight.shape[0], columns = weight.value.count / rows
        if training {
            let matrix = weight.value.reshaped([rows, columns])
            for _ in 0..<iterations {
                v.value = Self.normalized(Tensor.matmul(matrix, u.value.reshaped([rows, 1]), transposeA: true).reshaped([columns]))
                u.value = Self.normalized(Tensor.matmul(matrix, v.value.reshaped([columns, 1])).reshaped([rows]))
            }
        }
        let left = Variable(u.value.reshaped([1, rows])), right = Variable(v.value.reshaped([columns, 1]))
        let sigma = Variable.matmul(Variable.matmul(left, weight.reshaped([rows, columns])), right)
        return weight / sigma.reshaped([Int](repeating: 1, count: weight.rank))
    }

    /// The largest singular value as currently estimated: uᵀWv.
    public func sigma(of weight: Tensor) -> Float {
        let rows = weight.shape[0], columns = weight.count / rows
        return Tensor.matmul(Tensor.matmul(u.value.reshaped([1, rows]), weight.reshaped([rows, columns])),
                             v.value.reshaped([columns, 1])).scalars[0]
    }

    /// x / max(‖x‖, ε).
    static func normalized(_ x: Tensor) -> Tensor {
        let norm = x.scalars.reduce(Float(0)) { $0 + $1 * $1 }.squareRoot()
        return x * (1 / max(norm, epsilon))
    }
}

/// A layer whose weight can be spectrally normalised (Linear, Conv1d, Conv2d).
public protocol SpectrallyNormalizable: Module {
    var weight: Parameter { get }
    var bias: Parameter? { get }
    var spectralNormalization: SpectralNormalization? { get set }
}

extension SpectrallyNormalizable {
    /// The weight the layer computes with: W, or W / σ(W) when normalised.
    var effectiveWeight: Variable {
        spectralNormalization?.normalize(weight.variable, training: isTraining && Autodiff.isRecording) ?? weight.variable
    }

    /// Weight and bias under PyTorch's names (`weight_orig` when normalised).
    var weightAndBias: [(String, Parameter)] {
        [(spectralNormalization == nil ? "weight" : "weight_orig", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }
}

extension Module {
    /// Spectrally normalises every Linear, Conv1d and Conv2d at or below this module, drawing
    /// their u and v from `rng` in the layers' order.
    public func normalizeSpectrally(iterations: Int = 1, using rng: inout RandomStream) {
        if let layer = self as? any SpectrallyNormalizable {
            layer.spectralNormalization = SpectralNormalization(weightShape: layer.weight.value.shape, iterations: iterations, using: &rng)
        }
        for (_, child) in children { child.normalizeSpectrally(iterations: iterations, using: &rng) }
    }
}

extension Module {
    /// Replaces every spectrally normalised weight by the W / σ(W) it computes with (σ from the
    /// current u and v, as in evaluation mode) and drops the normalisation: a plain network that
    /// computes the same function, as exported files describe it.
    public func foldSpectralNormalization() {
        if let layer = self as? any SpectrallyNormalizable, let normalization = layer.spectralNormalization {
            let sigma = normalization.sigma(of: layer.weight.value)
            layer.weight.value = layer.weight.value.map { $0 / sigma }
            layer.spectralNormalization = nil
        }
        for (_, child) in children { child.foldSpectralNormalization() }
    }
}
