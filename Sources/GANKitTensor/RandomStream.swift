import CVectorKernels
import Foundation

/// A seeded, splittable stream of random numbers (xoshiro256**).
///
/// Every consumer of randomness — each network's initialisation, each player, each data stream,
/// each penalty — owns its own stream, derived from the run's seed by a label. Deriving a child
/// never advances the parent, so adding a consumer (SGAN's global pair, say) cannot change what
/// the others draw, and results do not depend on thread count or scheduling.
/// The whole state is four words (`state`), so a stream can be checkpointed and shipped.
public struct RandomStream: Sendable, Equatable, Codable {
    /// Identifies the stream's place in the derivation tree; children are derived from it.
    public let key: UInt64
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    /// The generator's position (four words); restoring it resumes the stream exactly.
    public var state: [UInt64] { [s0, s1, s2, s3] }

    public init(seed: UInt64) {
        self.init(key: Self.mix(seed &+ 0x5851_F42D_4C95_7F2D))
    }

    private init(key: UInt64) {
        self.key = key
        var s = key
        s0 = Self.splitMix(&s); s1 = Self.splitMix(&s); s2 = Self.splitMix(&s); s3 = Self.splitMix(&s)
    }

    /// Restores a stream saved through `key` and `state`.
    public init(key: UInt64, state: [UInt64]) {
        precondition(state.count == 4, "a random stream's state has four words")
        self.key = key
        (s0, s1, s2, s3) = (state[0], state[1], state[2], state[3])
    }

    private enum CodingKeys: String, CodingKey { case key, state }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let words = try c.decode([UInt64].self, forKey: .state)
        guard words.count == 4 else {
            throw DecodingError.dataCorruptedError(forKey: .state, in: c, debugDescription: "a random stream's state has four words, found \(words.count)")
        }
        self.init(key: try c.decode(UInt64.self, forKey: .key), state: words)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(key, forKey: .key)
        try c.encode(state, forKey: .state)
    }

    /// An independent stream named `label` below this one (does not advance this stream).
    public func derived(_ label: String) -> RandomStream {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325  // FNV-1a over the label's bytes
        for byte in label.utf8 { h = (h ^ UInt64(byte)) &* 0x100_0000_01B3 }
        return RandomStream(key: Self.mix(key ^ Self.mix(h)))
    }

    /// An independent stream numbered `index` below this one.
    public func derived(_ index: Int) -> RandomStream { derived("#\(index)") }

    @inline(__always)
    public mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    /// Uniform in [0, 1) with 24 random bits (every representable step of a Float in [0.5, 1)).
    @inline(__always)
    public mutating func nextUniform() -> Float { Float(next() >> 40) * 0x1p-24 }

    /// Uniform integer in 0..<bound (Lemire's nearly-divisionless method).
    public mutating func nextInt(below bound: Int) -> Int {
        precondition(bound > 0)
        let b = UInt64(bound)
        var m = next().multipliedFullWidth(by: b)
        if m.low < b {
            let threshold = (0 &- b) % b
            while m.low < threshold { m = next().multipliedFullWidth(by: b) }
        }
        return Int(m.high)
    }

    /// Fills `buffer` with normal samples: Box–Muller in double precision on pairs of words,
    /// `r·cos θ` then `r·sin θ` (the vector kernel's contract is in `gankit_box_muller`).
    public mutating func fillNormal(_ buffer: UnsafeMutableBufferPointer<Float>, mean: Float = 0, std: Float = 1) {
        let chunk = 512
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: chunk) { words in
            var start = 0
            while start < buffer.count {
                let count = Swift.min(chunk, buffer.count - start)
                for j in 0..<(count + 1) & ~1 { words[j] = next() }
                gankit_box_muller(words.baseAddress!, count, mean, std, buffer.baseAddress! + start)
                start += count
            }
        }
    }

    /// The scalar definition the vector kernel follows (libm's log, cos and sin): tests compare
    /// the two.
    mutating func fillNormalReference(_ buffer: UnsafeMutableBufferPointer<Float>, mean: Float = 0, std: Float = 1) {
        var i = 0
        while i < buffer.count {
            let u1 = 1.0 - Double(next() >> 11) * 0x1p-53  // (0, 1]: log is finite
            let u2 = Double(next() >> 11) * 0x1p-53
            let r = (-2.0 * Foundation.log(u1)).squareRoot()
            let theta = 2.0 * Double.pi * u2
            buffer[i] = mean + std * Float(r * Foundation.cos(theta))
            if i + 1 < buffer.count { buffer[i + 1] = mean + std * Float(r * Foundation.sin(theta)) }
            i += 2
        }
    }

    /// Fills `buffer` with uniform samples in [low, high).
    public mutating func fillUniform(_ buffer: UnsafeMutableBufferPointer<Float>, low: Float = 0, high: Float = 1) {
        let width = high - low
        for i in 0..<buffer.count { buffer[i] = low + width * nextUniform() }
    }

    /// Fisher–Yates shuffle of `0..<count`.
    public mutating func permutation(_ count: Int) -> [Int] {
        var p = Array(0..<count)
        if count < 2 { return p }
        for i in stride(from: count - 1, to: 0, by: -1) { p.swapAt(i, nextInt(below: i + 1)) }
        return p
    }

    @inline(__always) private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    private static func splitMix(_ s: inout UInt64) -> UInt64 {
        s &+= 0x9E37_79B9_7F4A_7C15
        return mix(s)
    }

    private static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension Tensor {
    /// Normal samples drawn from `stream`.
    public static func normal(_ shape: [Int], mean: Float = 0, std: Float = 1, using stream: inout RandomStream) -> Tensor {
        var t = Tensor(uninitializedShape: shape)
        t.withUnsafeMutableBufferPointer { stream.fillNormal($0, mean: mean, std: std) }
        return t
    }

    /// Uniform samples in [low, high) drawn from `stream`.
    public static func uniform(_ shape: [Int], low: Float = 0, high: Float = 1, using stream: inout RandomStream) -> Tensor {
        var t = Tensor(uninitializedShape: shape)
        t.withUnsafeMutableBufferPointer { stream.fillUniform($0, low: low, high: high) }
        return t
    }
}
