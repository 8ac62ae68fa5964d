/// Per-channel batch-normalisation kernels over `[N, C, S]` (S = H·W, or 1 for `[N, C]`).
public enum BatchNormKernels {
    /// Per-channel mean and biased variance (two passes, for accuracy), channels in parallel.
    public static func statistics(_ x: Tensor) -> (mean: [Float], variance: [Float]) {
        let (n, c, s) = layout(x.shape)
        var mean = [Float](repeating: 0, count: c), variance = [Float](repeating: 0, count: c)
        let count = Float(n * s)
        x.withUnsafeBufferPointer { xp in
            mean.withUnsafeMutableBufferPointer { meanOut in
                variance.withUnsafeMutableBufferPointer { varianceOut in
                    Parallel.forEachChunk(of: c, grain: Parallel.grain(floatsPerItem: n * s)) { channels in
                        for ch in channels {
                            var total: Float = 0
                            for i in 0..<n { total += Tensor.sumRun(xp.baseAddress! + (i * c + ch) * s, count: s) }
                            let mu = total / count
                            var squares: Float = 0
                            for i in 0..<n { squares += deviationProduct(xp.baseAddress! + (i * c + ch) * s, xp.baseAddress! + (i * c + ch) * s, mean: mu, count: s) }
                            meanOut[ch] = mu
                            varianceOut[ch] = squares / count
                        }
                    }
                }
            }
        }
        return (mean, variance)
    }

    /// y = (x − mean)·invStd·γ + β per channel, samples in parallel.
    public static func normalize(_ x: Tensor, mean: [Float], inverseStd: [Float], scale: Tensor, shift: Tensor) -> Tensor {
        let (n, c, s) = layout(x.shape)
        var y = Tensor(uninitializedShape: x.shape)
        x.withUnsafeBufferPointer { xp in
            scale.withUnsafeBufferPointer { g in
                shift.withUnsafeBufferPointer { b in
                    y.withUnsafeMutableBufferPointer { yp in
                        Parallel.forEachChunk(of: n, grain: Parallel.grain(floatsPerItem: c * s)) { samples in
                            for i in samples {
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
                dScale.withUnsafeMutableBufferPointer { dScaleOut in
                    dShift.withUnsafeMutableBufferPointer { dShiftOut in
                        Parallel.forEachChunk(of: c, grain: Parallel.grain(floatsPerItem: n * s)) { channels in
                            for ch in channels {
                                var sumG: Float = 0, sumGX: Float = 0
                                for i in 0..<n {
                                    let base = (i * c + ch) * s
                                    sumG += Tensor.sumRun(gp.baseAddress! + base, count: s)
                                    sumGX += deviationProduct(xp.baseAddress! + base, gp.baseAddress! + base, mean: mean[ch], count: s)
                                }
                                dShiftOut[ch] = sumG
                                dScaleOut[ch] = sumGX * inverseStd[ch]
                            }
                        }
                    }
                }
                scale.withUnsafeBufferPointer { gamma in
                    dx.withUnsafeMutableBufferPointer { dp in
                        Parallel.forEachChunk(of: n, grain: Parallel.grain(floatsPerItem: c * s)) { samples in
                            for i in samples {
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
        }
        return (dx, Tensor(shape: [c], values: dScale), Tensor(shape: [c], values: dShift))
    }

    /// Σ (x[j] − mean)·y[j] over a run, in SIMD lanes (the sum of squared deviations when y is x).
    @inline(__always)
    static func deviationProduct(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, mean: Float, count: Int) -> Float {
        var acc = SIMD8<Float>(repeating: 0)
        let mu = SIMD8<Float>(repeating: mean)
        var i = 0
        while i + 8 <= count {
            let d = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self) - mu
            acc += d * UnsafeRawPointer(y + i).loadUnaligned(as: SIMD8<Float>.self)
            i += 8
        }
        var total = acc.sum()
        while i < count { total += (x[i] - mean) * y[i]; i += 1 }
        return total
    }

    static func layout(_ shape: [Int]) -> (Int, Int, Int) {
        (shape[0], shape[1], shape.dropFirst(2).reduce(1, *))
    }
}
