import Foundation
import Testing
@testable import GANKitMetrics

/// The kernel sums behind MMD and the KDE must not depend on where their buffers happen to lie:
/// a run's metrics repeat bit for bit only if the summation order is fixed by the data alone.
@Test func kernelSumsAreTheSameWhereverTheBufferLies() {
    let count = 4096 + 37
    let raw = UnsafeMutableRawPointer.allocate(byteCount: 4 * (count + 16), alignment: 64)
    defer { raw.deallocate() }
    let base = raw.bindMemory(to: Float.self, capacity: count + 16)
    let scratch = UnsafeMutablePointer<Float>.allocate(capacity: count + 16)
    defer { scratch.deallocate() }
    var rng = SystemRandomNumberGenerator()
    let values = (0..<count).map { i in Float(i % 7) * 0.37 + Float.random(in: 0..<1e-3, using: &rng) }
    var sums: Set<Double> = [], exps: Set<Double> = []
    for offset in 0..<16 {
        (base + offset).update(from: values, count: count)
        sums.insert(Double(blockSum(base + offset, count)))
        exps.insert(sumExp(base + offset, count, scale: -0.5, scratch: scratch + (15 - offset)))
    }
    #expect(sums.count == 1 && exps.count == 1, "\(sums) \(exps)")
    let exact = values.reduce(0.0) { $0 + Double($1) }
    #expect(abs(sums.first! - exact) < 1e-5 * exact)
}
