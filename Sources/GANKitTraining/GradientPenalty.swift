import GANKitAutodiff
import GANKitNN
import GANKitTensor

/// Gradient penalties on ‖∇ₓD(x)‖, differentiated exactly with respect to D's parameters
/// (double backward).
public enum GradientPenalty {
    /// mean_i (‖∇ₓD(x̂_i)‖₂ − 1)² at the given points, with a graph back to D's parameters.
    public static func unitGradientNorm(of critic: Module, at points: Tensor) -> Variable {
        let x = Variable(points, requiresGradient: true)
        let output = critic(x)
        let gradient = Autodiff.gradients(of: output.sum(), wrt: [x], createGraph: true)[0]
        let axes = Array(1..<gradient.rank)
        // The tiny constant keeps the square root differentiable where a gradient vanishes.
        let norms = (gradient.square().sum(axes: axes) + 1e-12).sqrt()
        return (norms - 1).square().mean()
    }

    /// WGAN-GP (Gulrajani et al. 2017): the penalty at x̂ = α·real + (1−α)·fake, one α per sample.
    public static func wganGP(critic: Module, real: Tensor, fake: Tensor, alpha: Tensor) -> Variable {
        let points = alpha * real + (Tensor.ones(alpha.shape) - alpha) * fake
        return unitGradientNorm(of: critic, at: points)
    }

    /// DRAGAN (Kodali et al. 2017): the penalty around perturbed real samples,
    /// x_p = x + c·std·u and x̂ = α·x + (1−α)·x_p, with u uniform in [0, 1) and std the unbiased
    /// standard deviation over the whole batch (`spread`; by default that of `real`).
    public static func dragan(critic: Module, real: Tensor, noise u: Tensor, alpha: Tensor, c: Float, spread: Float? = nil) -> Variable {
        let perturbed = real + u * (c * (spread ?? standardDeviation(of: real)))
        let points = alpha * real + (Tensor.ones(alpha.shape) - alpha) * perturbed
        return unitGradientNorm(of: critic, at: points)
    }

    /// The unbiased standard deviation of every element of `batch`.
    static func standardDeviation(of batch: Tensor) -> Float {
        let mean = batch.mean().scalar
        let variance = batch.map { ($0 - mean) * ($0 - mean) }.sum().scalar / Float(max(batch.count - 1, 1))
        return variance.squareRoot()
    }

    /// One α per sample, shaped to broadcast over the sample's dimensions.
    static func perSampleUniform(like batch: Tensor, using rng: inout RandomStream) -> Tensor {
        Tensor.uniform([batch.shape[0]] + [Int](repeating: 1, count: batch.rank - 1), using: &rng)
    }
}
