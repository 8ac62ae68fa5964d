import GANKitNN
import GANKitTensor
import GANKitTraining

/// Samples of a generator in inference mode (BatchNorm uses running statistics and is left
/// untouched), from a noise stream of its own so the training streams never move.
enum GeneratorSampling {
    static func samples(_ generator: Module, noise latent: LatentNoise, count: Int, seed: UInt64, label: String = "samples") -> Tensor {
        var noise = RandomStream(seed: seed).derived(label)
        generator.setTraining(false)
        defer { generator.setTraining(true) }
        var parts: [Tensor] = []
        var made = 0
        while made < count {
            let n = min(512, count - made)
            parts.append(generator(latent.sample(n, using: &noise)))
            made += n
        }
        return parts.count == 1 ? parts[0] : Tensor.concatenate(parts)
    }

    /// The generator's outputs for the given noise `[count, latent]`, in inference mode.
    static func samples(_ generator: Module, noise: Tensor) -> Tensor {
        generator.setTraining(false)
        defer { generator.setTraining(true) }
        let count = noise.shape[0]
        if count <= 512 { return generator(noise) }
        var parts: [Tensor] = []
        for start in stride(from: 0, to: count, by: 512) { parts.append(generator(noise.slice(axis: 0, start..<min(start + 512, count)))) }
        return Tensor.concatenate(parts)
    }

    /// Rows of a `[N, 2]` tensor as points.
    static func points(_ t: Tensor) -> [SIMD2<Float>] {
        t.withUnsafeBufferPointer { b in (0..<t.shape[0]).map { SIMD2(b[2 * $0], b[2 * $0 + 1]) } }
    }
}
