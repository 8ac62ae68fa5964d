import Testing
@testable import GANKitTensor

/// GANKit's own loops split their work across threads; every result must be the same whatever
/// the thread count (determinism: same seed and threads give the same numbers, and here even
/// different thread counts do).
struct ParallelTests {
    @Test func chunksPartitionTheRangeExactlyOnce() {
        for (count, grain) in [(0, 1), (1, 1), (7, 1), (1000, 10), (1001, 1), (5, 100)] {
            let visits = UnsafeMutableBufferPointer<Int>.allocate(capacity: max(1, count))
            visits.initialize(repeating: 0)
            defer { visits.deallocate() }
            Parallel.$threadsOverride.withValue(2) {
                Parallel.forEachChunk(of: count, grain: grain) { range in for i in range { visits[i] += 1 } }
            }
            #expect(visits.prefix(count).allSatisfy { $0 == 1 }, "count \(count), grain \(grain)")
        }
    }

    @Test func kernelsGiveIdenticalResultsOnOneAndTwoThreads() {
        var rng = RandomStream(seed: 42)
        let image = Tensor.normal([8, 32, 14, 14], using: &rng)
        let g = ConvolutionGeometry(batch: 8, channels: 32, inHeight: 14, inWidth: 14, kernelHeight: 4, kernelWidth: 4, stride: 2, padding: 1)
        let cols = Tensor.normal([g.patchSize, g.positions], using: &rng)
        let gradient = Tensor.normal([8, 32, 14, 14], using: &rng)
        func run() -> [Tensor] {
            let stats = BatchNormKernels.statistics(image)
            let inverseStd = stats.variance.map { 1 / ($0 + 1e-5).squareRoot() }
            let scale = Tensor(shape: [32], values: (0..<32).map { 1 + Float($0) / 32 }), shift = Tensor.zeros([32])
            let backward = BatchNormKernels.backward(gradient, x: image, mean: stats.mean, inverseStd: inverseStd, scale: scale)
            return [Tensor.unfold(image, g), Tensor.fold(cols, g), image.channelMajor, image.channelMajor.batchMajor(image.shape),
                    Tensor(shape: [32], values: stats.mean), Tensor(shape: [32], values: stats.variance),
                    BatchNormKernels.normalize(image, mean: stats.mean, inverseStd: inverseStd, scale: scale, shift: shift),
                    backward.input, backward.scale, backward.shift]
        }
        let serial = Parallel.$threadsOverride.withValue(1) { run() }
        let parallel = Parallel.$threadsOverride.withValue(2) { run() }
        for (a, b) in zip(serial, parallel) { #expect(a.scalars == b.scalars) }
        #expect(serial[3].scalars == image.scalars, "batchMajor undoes channelMajor")
    }
}
