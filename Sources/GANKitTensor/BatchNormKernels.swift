/// Per-channel batch-normalisation kernels over `[N, C, S]` (S = H·W, or 1 for `[N, C]`).
public enum BatchNormKernels {
    /// Per-channel mean and biased variance (two passes, for accuracy).
    public static func statistics(_ x: Tensor) -> (mean: [Float], variance: [Float]) {
        let (n, c, s) = layout(x.shape)
        var mean = [Float](repeating: 0, count: c), variance = [Float](repeating: 0, count: c)
        let count = Float(n * s)
        x.withUnsafeBufferPointer { xp in
            for ch in 0..<c {
                var total: Float = 0
                for i in 0..<n { total += Tensor.sumRun(xp.baseAddress! + (i * c + ch) * s, count: s) }
                let mu = total / count
                var squares: Float = 0
                for i in 0..<n {
                    let row = xp.baseAddress! + (i * c + ch) * s
                    for j in 0..<s { let d = row[j] - mu; squares += d * d }
                }
                mean[ch] = mu
                variance[ch] = squares / count
            }
        }
        return (mean, variance)
    }

    /// y = (x − mean)·invStd·γ + β per channel.
    public static func normalize(_ x: Tensor, mean: [Float], inverseStd: [Float], scale: Tensor, shift: Tensor) -> Tensor {
        let (n, c, s) = layout(x.shape)
        var y = Tensor(uninitializedShape: x.shape)
        x.withUnsafeBufferPointer { xp in
            scale.withUnsafeBufferPointer { g in
                shift.withUnsafeBufferPointer { b in
                    y.withUnsafeMutableBufferPointer { yp in
                        for i in 0..<n {
                            for ch in 0..<c {
                                let a = inverseStd[ch] * g[ch], offset = b[ch] - mean[ch] * a
                                let base = (i * c + ch) * s
                                for j in 0..<s { yp[base + j] = xp[base + j] * a + offset }
                            }
                        }
                    }
                }
            }
        }
        return y
    }

    /// Gradients of training-mode batch normalisation: with x̂ = (x − μ)·invStd and M values per
    /// channel, dβ = Σg, dγ = Σg·x̂, dx = γ·invStd/M · (M·g − dβ − x̂·dγ).
    public static func backward(_ g: Tensor, x: Tensor, mean: [Float], inverseStd: [Float], scale: Tensor)
        -> (input: Tensor, scale: Tensor, shift: Tensor) {
        let (n, c, s) = layout(x.shape)
        let m = Float(n * s)
        var dx = Tensor(uninitializedShape: x.shape)
        var dScale = [Float](repeating: 0, count: c), dShift = [Float](repeating: 0, count: c)
        g.withUnsafeBufferPointer { gp in
            x.withUnsafeBufferPointer { xp in
                for ch in 0..<c {
                    var sumG: Float = 0, sumGX: Float = 0
                    let mu = mean[ch], inv = inverseStd[ch]
                    for i in 0..<n {
                        let base = (i * c + ch) * s
                        for j in 0..<s {
                            sumG += gp[base + j]
                            sumGX += gp[base + j] * (xp[base + j] - mu) * inv
                        }
                    }
                    dShift[ch] = sumG
                    dScale[ch] = sumGX
                }
                scale.withUnsafeBufferPointer { gamma in
                    dx.withUnsafeMutableBufferPointer { dp in
                        for i in 0..<n {
                            for ch in 0..<c {
                                let mu = mean[ch], inv = inverseStd[ch]
                                let k = gamma[ch] * inv / m, b = dShift[ch], a = dScale[ch]
                                let base = (i * c + ch) * s
                                for j in 0..<s {
                                    let xhat = (xp[base + j] - mu) * inv
                                    dp[base + j] = k * (m * gp[base + j] - b - xhat * a)
                                }
                            }
                        }
                    }
                }
            }
        }
        return (dx, Tensor(shape: [c], values: dScale), Tensor(shape: [c], values: dShift))
    }

    static func layout(_ shape: [Int]) -> (Int, Int, Int) {
        (shape[0], shape[1], shape.dropFirst(2).reduce(1, *))
    }
}
