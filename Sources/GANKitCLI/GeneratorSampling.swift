import GANKitNN
import GANKitTensor

/// Samples of a generator in inference mode (BatchNorm uses running statistics and is left
/// untouched), from a noise stream of its own so the training streams never move.
enum GeneratorSampling {
    static func samples(_ generator: Module, latentDimension: Int, count: Int, seed: UInt64, label: String = "samples") -> Tensor {
        var noise = RandomStream(seed: seed).derived(label)
        generator.setTraining(false)
        defer { generator.setTraining(true) }
        var parts: [Tensor] = []
        var made = 0
        while made < count {
            let n = min(512, count - made)
            parts.append(generator(Tensor.normal([n, latentDimension], using: &noise)))
            made += n
        }
        return parts.count == 1 ? parts[0] : Tensor.concatenate(parts)
    }

    /// Rows of a `[N, 2]` tensor as points.
    static func points(_ t: Tensor) -> [SIMD2<Float>] {
        t.withUnsafeBufferPointer { b in (0..<t.shape[0]).map { SIMD2(b[2 * $0], b[2 * $0 + 1]) } }
    }
}
