import GANKitAutodiff
import GANKitTensor

/// Loss functions as plain functions of logits and targets.
public enum Losses {
    /// Mean binary cross-entropy on logits, `mean_i w_i · ℓ_i` with
    /// `ℓ_i = softplus(x_i) − t_i·x_i` (stable for any logit; PyTorch's definition, which divides
    /// by N and not by Σw). `weights` default to 1.
    public static func binaryCrossEntropyWithLogits(_ logits: Variable, targets: Variable, weights: Variable? = nil) -> Variable {
        let perSample = logits.softplus() - targets * logits
        return (weights.map { perSample * $0 } ?? perSample).mean()
    }

    /// Binary cross-entropy on logits against a constant label (1 for real, 0 for fake), per sample:
    /// `−log σ(x)` for label 1, `−log(1 − σ(x)) = softplus(x)` for label 0.
    public static func binaryCrossEntropyWithLogits(_ logits: Variable, label: Float) -> Variable {
        label == 1 ? -logits.logSigmoid() : label == 0 ? logits.softplus() : logits.softplus() - logits * label
    }

    /// Mean squared error.
    public static func meanSquaredError(_ prediction: Variable, _ target: Variable) -> Variable {
        (prediction - target).square().mean()
    }
}
