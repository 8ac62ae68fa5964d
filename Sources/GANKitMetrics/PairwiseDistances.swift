import GANKitTensor

/// Squared Euclidean distances between the rows of two point sets, one tile at a time.
///
/// ‖x − y‖² = ‖x‖² + ‖y‖² − 2·x·y puts the work in one GEMM per tile (BLAS does the n·m·d
/// multiply-adds), and tiling keeps memory at `tile²` floats whatever n and m are, so that
/// 10,000 × 10,000 (or larger) sets never materialise their n × m matrix. Both sets are first
/// centred on their common mean, which is exact for distances and reduces the cancellation of the
/// expansion in single precision; results are clamped at 0 and a point's distance to itself (in
/// the symmetric case) is exactly 0.
public struct PairwiseDistances: Sendable {
    /// The tile side (rows and columns per GEMM).
    public static let defaultTile = 512

    let x: Tensor, y: Tensor
    let xNorms: [Float], yNorms: [Float]
    let symmetric: Bool
    public let rows: Int, columns: Int, dimension: Int

    /// Distances from the rows of `x` `[n, d]` to the rows of `y` `[m, d]`.
    public init(_ x: Tensor, _ y: Tensor, names: (String, String) = ("x", "y")) throws {
        try Self.check(x, names.0)
        try Self.check(y, names.1)
        guard x.shape[1] == y.shape[1] else {
            throw MetricError.badShape(input: names.1, shape: y.shape, expected: "[m, \(x.shape[1])] (as many columns as \(names.0))")
        }
        let mean = Self.mean(of: [x, y])
        self.x = Self.centred(x, mean)
        self.y = Self.centred(y, mean)
        self.xNorms = Self.norms(self.x)
        self.yNorms = Self.norms(self.y)
        self.symmetric = false
        (rows, columns, dimension) = (x.shape[0], y.shape[0], x.shape[1])
    }

    /// Distances among the rows of `x` (symmetric: callers may visit only tiles above the diagonal).
    public init(within x: Tensor, name: String = "x") throws {
        try Self.check(x, name)
        let c = Self.centred(x, Self.mean(of: [x]))
        self.x = c
        self.y = c
        self.xNorms = Self.norms(c)
        self.yNorms = self.xNorms
        self.symmetric = true
        (rows, columns, dimension) = (x.shape[0], x.shape[0], x.shape[1])
    }

    /// Calls `body(rowStart, columnStart, tileRows, tileColumns, distances)` for every tile, with
    /// the tile's squared distances row-major (`tileRows × tileColumns`, leading dimension
    /// `tileColumns`). With `upperOnly` (symmetric sets only), only tiles with columnStart ≥ rowStart.
    public func forEachTile(tile: Int = defaultTile, upperOnly: Bool = false,
                            _ body: (Int, Int, Int, Int, UnsafeMutablePointer<Float>) throws -> Void) rethrows {
        let t = max(1, tile)
        let d = dimension
        let buffer = UnsafeMutablePointer<Float>.allocate(capacity: t * t)
        defer { buffer.deallocate() }
        try x.withUnsafeBufferPointer { xp in
            try y.withUnsafeBufferPointer { yp in
                try xNorms.withUnsafeBufferPointer { xn in
                    try yNorms.withUnsafeBufferPointer { yn in
                        var i0 = 0
                        while i0 < rows {
                            let r = min(t, rows - i0)
                            var j0 = upperOnly && symmetric ? i0 : 0
                            while j0 < columns {
                                let c = min(t, columns - j0)
                                if d > 0 {
                                    BLAS.gemm(transposeA: false, transposeB: true, m: r, n: c, k: d, alpha: -2,
                                              a: xp.baseAddress! + i0 * d, lda: d, b: yp.baseAddress! + j0 * d, ldb: d,
                                              beta: 0, c: buffer, ldc: c)
                                } else {
                                    buffer.update(repeating: 0, count: r * c)
                                }
                                for i in 0..<r {
                                    let row = buffer + i * c
                                    let a = xn[i0 + i]
                                    for j in 0..<c { row[j] = max(0, row[j] + a + yn[j0 + j]) }
                                }
                                if symmetric && i0 == j0 { for i in 0..<r { buffer[i * c + i] = 0 } }
                                try body(i0, j0, r, c, buffer)
                                j0 += c
                            }
                            i0 += r
                        }
                    }
                }
            }
        }
    }

    /// The whole `[n, m]` matrix (for small sets and tests).
    public func matrix() -> Tensor {
        var out = Tensor(uninitializedShape: [rows, columns])
        let m = columns
        out.withUnsafeMutableBufferPointer { o in
            forEachTile { i0, j0, r, c, tile in
                for i in 0..<r { (o.baseAddress! + (i0 + i) * m + j0).update(from: tile + i * c, count: c) }
            }
        }
        return out
    }

    static func check(_ t: Tensor, _ name: String) throws {
        guard t.rank == 2 else { throw MetricError.badShape(input: name, shape: t.shape, expected: "[n, d]") }
        guard t.isFinite else { throw MetricError.notFinite(input: name) }
    }

    private static func mean(of sets: [Tensor]) -> [Double] {
        let d = sets[0].shape[1]
        var sum = [Double](repeating: 0, count: d)
        var n = 0
        for s in sets {
            s.withUnsafeBufferPointer { p in
                for i in 0..<s.shape[0] { for k in 0..<d { sum[k] += Double(p[i * d + k]) } }
            }
            n += s.shape[0]
        }
        return sum.map { n > 0 ? $0 / Double(n) : 0 }
    }

    private static func centred(_ t: Tensor, _ mean: [Double]) -> Tensor {
        let d = mean.count
        let m = mean.map { Float($0) }
        var out = Tensor(uninitializedShape: t.shape)
        t.withUnsafeBufferPointer { p in
            out.withUnsafeMutableBufferPointer { o in
                for i in 0..<t.shape[0] { for k in 0..<d { o[i * d + k] = p[i * d + k] - m[k] } }
            }
        }
        return out
    }

    private static func norms(_ t: Tensor) -> [Float] {
        let d = t.shape[1]
        return t.withUnsafeBufferPointer { p in
            (0..<t.shape[0]).map { i in
                var s: Float = 0
                for k in 0..<d { s += p[i * d + k] * p[i * d + k] }
                return s
            }
        }
    }
}
