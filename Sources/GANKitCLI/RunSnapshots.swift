import Foundation
import GANKitData
import GANKitEvaluation
import GANKitNN
import GANKitReport
import GANKitTensor
import GANKitTraining

/// Pictures of a run at an iteration: on toy data a scatter plot of real samples (grey), each
/// local generator's (its own colour) and G0's (red) over the level sets of D0 (or D), like SGAN's
/// Figures 3, 4, 8, 11; on images a grid of G0's samples; on text G0's sentences, as text and
/// as a picture of it. Noise and real points are fixed, so snapshots of one run compare frame to
/// frame.
struct RunSnapshots {
    let trainer: Trainer
    let dataset: DatasetConfiguration
    var vocabulary: CharacterVocabulary? = nil
    static let seed: UInt64 = 20_180_618

    struct Picture {
        var png: Data
        var width: Int
        var height: Int
        /// Text data: the sentences drawn.
        var text: [String]? = nil
    }

    func picture() throws -> Picture {
        let canvas: Canvas
        if let toy = dataset.toy {
            canvas = try scatter(toy)
        } else if let vocabulary {
            let sentences = Self.sentences(trainer.productGenerator, noise: latent, vocabulary: vocabulary, count: 16)
            canvas = Self.render(sentences)
            return Picture(png: try canvas.png(), width: canvas.width, height: canvas.height, text: sentences)
        } else {
            let images = GeneratorSampling.samples(trainer.productGenerator, noise: latent, count: 64, seed: Self.seed)
            canvas = try ImageGrid.render(images)
        }
        return Picture(png: try canvas.png(), width: canvas.width, height: canvas.height)
    }

    private var latent: LatentNoise { trainer.configuration.networks.noise }

    /// `count` sentences of a character generator (each position's most probable symbol).
    static func sentences(_ generator: Module, noise: LatentNoise, vocabulary: CharacterVocabulary, count: Int, seed: UInt64 = seed) -> [String] {
        let distributions = GeneratorSampling.samples(generator, noise: noise, count: count, seed: seed)
        return vocabulary.sentences(TextEvaluation.decode(distributions), length: distributions.shape[2], count: count)
    }

    /// Sentences as a picture, one a line, at twice the font's size.
    static func render(_ sentences: [String]) -> Canvas {
        let scale = 2, lineHeight = 2 * (BitmapFont.capHeight + BitmapFont.descent + 3), margin = 16
        let width = max(320, (sentences.map { BitmapFont.width(of: $0, scale: scale) }.max() ?? 0) + 2 * margin)
        var canvas = Canvas(width: width, height: 2 * margin + lineHeight * sentences.count)
        for (i, sentence) in sentences.enumerated() {
            canvas.drawText(sentence, x: margin, y: margin + i * lineHeight, color: .black, scale: scale)
        }
        return canvas
    }

    private func scatter(_ toy: ToyDataset) throws -> Canvas {
        var stream = RandomStream(seed: Self.seed).derived("real")
        let real = GeneratorSampling.points(try toy.makeSampler().sample(count: 1000, using: &stream))
        let bounds = ScatterPlot.Bounds.enclosing(real)
        var series = [ScatterPlot.Series(points: real, color: Palette.real, radius: 1.6, alpha: 0.5)]
        if trainer.global != nil {
            for (k, pair) in trainer.pairs.enumerated() {
                let pts = GeneratorSampling.samples(pair.generator.network, noise: latent, count: 300, seed: Self.seed, label: "G\(k + 1)")
                series.append(.init(points: GeneratorSampling.points(pts), color: Palette.localGenerator(k + 1), radius: 1.5, alpha: 0.55))
            }
        }
        let product = GeneratorSampling.samples(trainer.productGenerator, noise: latent, count: 500, seed: Self.seed, label: "G0")
        series.append(.init(points: GeneratorSampling.points(product), color: Palette.global, radius: 1.8, alpha: 0.8))
        let resolution = 96
        let grid = bounds.gridCenters(resolution: resolution)
        let critic = (trainer.global ?? trainer.pairs[0]).discriminator.network
        critic.setTraining(false)
        defer { critic.setTraining(true) }
        let logits = critic(Tensor(shape: [grid.count, 2], values: grid.flatMap { [$0.x, $0.y] })).scalars
        let probabilities = logits.map { 1 / (1 + Foundation.exp(-$0)) }
        return ScatterPlot(bounds: bounds, series: series, discriminator: probabilities, resolution: resolution).render()
    }
}
