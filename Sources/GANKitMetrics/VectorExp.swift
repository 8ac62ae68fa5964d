import Foundation

/// A fast exp for the kernel sums, which are dominated by exponentials (10⁸ per 10,000 × 10,000
/// kernel matrix): libm's `expf` is an opaque call per element, while this branch-free scalar
/// code is vectorised by the compiler when applied over a buffer.
///
/// Cody–Waite range reduction x = n·ln 2 + r (|r| ≤ ln 2 / 2) and Cephes' degree-6 polynomial for
/// e^r, then scaling by 2ⁿ through the exponent bits. The relative error is about 2 ulp; arguments
/// are clamped to [−87, 88], so e^x for x < −87 gives about 1.6e−38 instead of a denormal or 0 —
/// immaterial in sums of kernel values.
@inline(__always)
func fastExp(_ v: Float) -> Float {
    let x = v < -87 ? -87 : (v > 88 ? 88 : v)
    // Round x·log₂e to the nearest integer by adding 1.5·2²³: the sum's low mantissa bits then
    // hold n exactly (no call to a rounding function, which would stop vectorisation).
    let magic: Float = 12_582_912
    let shifted = x * 1.442_695_04 + magic
    let n = shifted - magic
    var r = x - n * 0.693_359_375
    r = r - n * -2.121_944_4e-4
    var p: Float = 1.987_569_15e-4
    p = p * r + 1.398_199_95e-3
    p = p * r + 8.333_451_9e-3
    p = p * r + 4.166_579_59e-2
    p = p * r + 1.666_666_55e-1
    p = p * r + 5.000_000_12e-1
    p = p * (r * r) + r + 1
    let integer = Int32(bitPattern: shifted.bitPattern) &- Int32(bitPattern: magic.bitPattern)
    return p * Float(bitPattern: UInt32(bitPattern: (integer &+ 127) &<< 23))
}

/// Σᵢ exp(a · values[i] − shift) over `count` floats. The exponentials are written to `scratch`
/// (at least `count` floats) by a loop the compiler vectorises, then summed in blocks of 4,096
/// whose sums are accumulated in double precision.
@inline(__always)
func sumExp(_ values: UnsafePointer<Float>, _ count: Int, scale a: Float, shift: Float = 0,
            scratch: UnsafeMutablePointer<Float>) -> Double {
    for i in 0..<count { scratch[i] = fastExp(a * values[i] - shift) }
    var total = 0.0
    var i = 0
    while i < count {
        let block = min(4096, count - i)
        total += Double(blockSum(scratch + i, block))
        i += block
    }
    return total
}

/// The sum of `count` floats in an order fixed by `count` alone: eight lanes of eight partial
/// sums, then the lanes, then the tail. (OpenBLAS's `sasum` rounds differently with the buffer's
/// address mod 32, which made a metric differ between two runs of the same seed.)
@inline(__always)
func blockSum(_ p: UnsafePointer<Float>, _ count: Int) -> Float {
    let raw = UnsafeRawPointer(p)
    var lanes = SIMD8<Float>(repeating: 0)
    let vectors = count / 8
    for v in 0..<vectors { lanes += raw.loadUnaligned(fromByteOffset: 32 * v, as: SIMD8<Float>.self) }
    var total = lanes.sum()
    for i in (8 * vectors)..<count { total += p[i] }
    return total
}
