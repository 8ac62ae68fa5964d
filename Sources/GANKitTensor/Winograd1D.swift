import CVectorKernels

/// The Toom–Cook (Winograd) form F(m, r) of a stride-1 1-D convolution with r taps: the text
/// nets' kernel-5 convolutions.
///
/// Cut into tiles of m outputs, each tile is a correlation of an r-tap kernel with m + r − 1
/// inputs. Evaluated as polynomials at P = m + r − 1 points, it becomes P products instead of
/// m·r: the input tile goes through Bᵀ (P × P), the kernel through G (P × r), and the P products
/// back through Aᵀ (m × P). Over channels the products are P GEMMs, one per point, so F(4, 5) costs
/// 8/20 of the direct form's multiplications, plus transforms that read and write each value once.
/// As in ``WinogradGeometry``, every transform has its adjoint, which is all that gradients and
/// double backward need.
public struct Winograd1DGeometry: Hashable, Sendable {
    /// The convolution, as a 2-D one over sequences one row high.
    public let convolution: ConvolutionGeometry
    /// m, the outputs each tile computes.
    public let outputsPerTile: Int
    /// Bᵀ, row-major P × P.
    public let inputTransform: [Float]
    /// G, row-major P × r.
    public let kernelTransform: [Float]
    /// Aᵀ, row-major m × P.
    public let outputTransform: [Float]

    public var taps: Int { convolution.kernelWidth }
    /// P, the transform points: one GEMM each.
    public var points: Int { outputsPerTile + taps - 1 }
    public var tiles: Int { (convolution.outWidth + outputsPerTile - 1) / outputsPerTile }
    /// Columns of every transformed matrix: one per (tile, sample), the sample innermost.
    public var columns: Int { tiles * convolution.batch }
    /// Floats of the per-thread scratch block: every input position a tile reads, for every sample.
    var scratchFloats: Int { ((tiles - 1) * outputsPerTile + points) * convolution.batch }

    /// The most points used: beyond 8 the transforms' entries grow (points ±3, ±1/3) and so does
    /// the rounding error in single precision.
    public static let maximumPoints = 8

    /// Whether a convolution is one the 1-D form computes: one row, stride 1, 2 to 7 taps.
    public static func applies(to g: ConvolutionGeometry) -> Bool {
        g.inHeight == 1 && g.kernelHeight == 1 && g.paddingHeight == 0 && g.stride == 1
            && g.kernelWidth >= 2 && g.kernelWidth <= maximumPoints - 1
    }

    /// The form with `outputsPerTile` outputs per tile; by default the most that keep
    /// ``maximumPoints`` points (F(4, 5) for kernel 5, F(6, 3) for kernel 3).
    public init?(_ g: ConvolutionGeometry, outputsPerTile: Int? = nil) {
        guard Self.applies(to: g) else { return nil }
        let m = outputsPerTile ?? Self.maximumPoints + 1 - g.kernelWidth
        guard m >= 1, m + g.kernelWidth - 1 <= Self.maximumPoints else { return nil }
        let matrices = Self.toomCook(outputs: m, taps: g.kernelWidth)
        convolution = g
        self.outputsPerTile = m
        inputTransform = matrices.input.map(Float.init)
        kernelTransform = matrices.kernel.map(Float.init)
        outputTransform = matrices.output.map(Float.init)
    }

    /// Whether the form is used automatically: the 2-D form's measured rule (thin layers leave
    /// the GEMMs too small to run at speed), not measured again in 1-D, where the text nets'
    /// thin layers are 1×1 and have no form anyway.
    public func pays(outChannels: Int) -> Bool {
        convolution.channels >= 16 && outChannels >= 16
    }

    /// The finite interpolation points, in the order they are taken: small, so that the
    /// transforms' entries stay small.
    static let interpolationPoints: [Double] = [0, 1, -1, 2, -2, 0.5, -0.5]

    /// Bᵀ, G and Aᵀ of F(m, r) at the first P − 1 interpolation points and infinity.
    ///
    /// The correlation y_i = Σ_k g_k d_{i+k} is the transpose of the linear convolution of g with
    /// an m-term h. That convolution, a polynomial product of degree P − 1, is recovered from its
    /// values at the finite points a_p (Lagrange) and its leading coefficient (the point at
    /// infinity): g·h = c_∞·Π_q(x − a_q) + Σ_p g(a_p)h(a_p)·L_p(x). Transposed: G evaluates g
    /// (row p: a_p^k / Π_{q≠p}(a_p − a_q), the Lagrange denominator folded in; the last row picks
    /// g's leading tap), Aᵀ is the transpose of h's evaluation (a_p^i; the last column picks
    /// i = m − 1), and Bᵀ's rows are the coefficients of Π_{q≠p}(x − a_q), and of Π_q(x − a_q) last.
    static func toomCook(outputs m: Int, taps r: Int) -> (input: [Double], kernel: [Double], output: [Double]) {
        let p = m + r - 1
        let a = Array(interpolationPoints.prefix(p - 1))
        precondition(a.count == p - 1, "F(\(m), \(r)) needs \(p - 1) finite points; \(interpolationPoints.count) are defined")
        /// The coefficients of Π (x − root), lowest power first.
        func monic(_ roots: [Double]) -> [Double] {
            roots.reduce(into: [1.0]) { c, root in
                var next = [Double](repeating: 0, count: c.count + 1)
                for (i, ci) in c.enumerated() {
                    next[i + 1] += ci
                    next[i] -= root * ci
                }
                c = next
            }
        }
        func power(_ x: Double, _ n: Int) -> Double { (0..<n).reduce(1) { v, _ in v * x } }
        var input = [Double](repeating: 0, count: p * p)
        var kernel = [Double](repeating: 0, count: p * r)
        var output = [Double](repeating: 0, count: m * p)
        for (i, ai) in a.enumerated() {
            let others = a.indices.filter { $0 != i }.map { a[$0] }
            for (j, c) in monic(others).enumerated() { input[i * p + j] = c }
            let denominator = others.reduce(1.0) { $0 * (ai - $1) }
            for k in 0..<r { kernel[i * r + k] = power(ai, k) / denominator }
            for row in 0..<m { output[row * p + i] = power(ai, row) }
        }
        for (j, c) in monic(a).enumerated() { input[(p - 1) * p + j] = c }
        kernel[(p - 1) * r + r - 1] = 1
        output[(m - 1) * p + p - 1] = 1
        return (input, kernel, output)
    }
}

extension Tensor {
    /// The transformed sequence `[P, C, tiles·N]` of a sequence `[N, C, L]`.
    public static func winogradInput(_ sequence: Tensor, _ w: Winograd1DGeometry) -> Tensor {
        let g = w.convolution
        precondition(sequence.shape == [g.batch, g.channels, g.inWidth], "winogradInput: sequence \(sequence.shape) does not fit \(g)")
        return w.inputTransform.withUnsafeBufferPointer { bt in
            sequence.transformed(into: [w.points, g.channels, w.columns], channels: g.channels, floatsPerChannel: w.points * w.columns,
                                 scratchFloats: w.scratchFloats) { x, r, scratch, out in
                gankit_winograd1d_input(x, g.channels, g.inWidth, g.batch, g.paddingWidth, w.tiles, w.outputsPerTile, w.points,
                                        bt.baseAddress!, r.lowerBound, r.upperBound, scratch, out)
            }
        }
    }

    /// The adjoint of `winogradInput`: `[P, C, tiles·N]` → `[N, C, L]`.
    public static func winogradInputAdjoint(_ transformed: Tensor, _ w: Winograd1DGeometry) -> Tensor {
        let g = w.convolution
        precondition(transformed.shape == [w.points, g.channels, w.columns], "winogradInputAdjoint: \(transformed.shape) does not fit \(g)")
        return w.inputTransform.withUnsafeBufferPointer { bt in
            transformed.transformed(into: [g.batch, g.channels, g.inWidth], channels: g.channels, floatsPerChannel: w.points * w.columns,
                                    scratchFloats: w.scratchFloats) { v, r, scratch, x in
                gankit_winograd1d_input_adjoint(v, g.channels, g.inWidth, g.batch, g.paddingWidth, w.tiles, w.outputsPerTile, w.points,
                                                bt.baseAddress!, r.lowerBound, r.upperBound, scratch, x)
            }
        }
    }

    /// The output sequence `[N, O, Lo]` of the transform-domain products `[P, O, tiles·N]`.
    public static func winogradOutput(_ products: Tensor, _ w: Winograd1DGeometry) -> Tensor {
        let g = w.convolution
        precondition(products.rank == 3 && products.shape[0] == w.points && products.shape[2] == w.columns,
                     "winogradOutput: \(products.shape) does not fit \(g)")
        let channels = products.shape[1]
        return w.outputTransform.withUnsafeBufferPointer { at in
            products.transformed(into: [g.batch, channels, g.outWidth], channels: channels, floatsPerChannel: w.points * w.columns,
                                 scratchFloats: w.scratchFloats) { m, r, scratch, y in
                gankit_winograd1d_output(m, channels, g.outWidth, g.batch, w.tiles, w.outputsPerTile, w.points, at.baseAddress!,
                                         r.lowerBound, r.upperBound, scratch, y)
            }
        }
    }

    /// The adjoint of `winogradOutput`: `[N, O, Lo]` → `[P, O, tiles·N]`.
    public static func winogradOutputAdjoint(_ sequence: Tensor, _ w: Winograd1DGeometry) -> Tensor {
        let g = w.convolution
        precondition(sequence.rank == 3 && sequence.shape[0] == g.batch && sequence.shape[2] == g.outWidth,
                     "winogradOutputAdjoint: \(sequence.shape) does not fit \(g)")
        let channels = sequence.shape[1]
        return w.outputTransform.withUnsafeBufferPointer { at in
            sequence.transformed(into: [w.points, channels, w.columns], channels: channels, floatsPerChannel: w.points * w.columns,
                                 scratchFloats: w.scratchFloats) { y, r, scratch, m in
                gankit_winograd1d_output_adjoint(y, channels, g.outWidth, g.batch, w.tiles, w.outputsPerTile, w.points, at.baseAddress!,
                                                 r.lowerBound, r.upperBound, scratch, m)
            }
        }
    }

    /// The transformed kernel `[P, O, C]` of a weight `[O, C, r]`.
    public static func winogradWeight(_ weight: Tensor, _ w: Winograd1DGeometry) -> Tensor {
        precondition(weight.rank == 3 && weight.shape[1] == w.convolution.channels && weight.shape[2] == w.taps,
                     "winogradWeight: \(weight.shape) is not [O, \(w.convolution.channels), \(w.taps)]")
        let (o, c) = (weight.shape[0], weight.shape[1])
        return w.kernelTransform.withUnsafeBufferPointer { gt in
            weight.transformed(into: [w.points, o, c], channels: o, floatsPerChannel: w.points * c, scratchFloats: w.taps * c) { x, r, s, out in
                gankit_winograd1d_weight(x, o, c, w.taps, w.points, gt.baseAddress!, r.lowerBound, r.upperBound, s, out)
            }
        }
    }

    /// The adjoint of `winogradWeight`: `[P, O, C]` → `[O, C, r]`.
    public static func winogradWeightAdjoint(_ transformed: Tensor, _ w: Winograd1DGeometry) -> Tensor {
        precondition(transformed.rank == 3 && transformed.shape[0] == w.points && transformed.shape[2] == w.convolution.channels,
                     "winogradWeightAdjoint: \(transformed.shape) is not [\(w.points), O, \(w.convolution.channels)]")
        let (o, c) = (transformed.shape[1], transformed.shape[2])
        return w.kernelTransform.withUnsafeBufferPointer { gt in
            transformed.transformed(into: [o, c, w.taps], channels: o, floatsPerChannel: w.points * c, scratchFloats: w.taps * c) { u, r, s, weight in
                gankit_winograd1d_weight_adjoint(u, o, c, w.taps, w.points, gt.baseAddress!, r.lowerBound, r.upperBound, s, weight)
            }
        }
    }
}
