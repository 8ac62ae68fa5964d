import Foundation
import GANKitData
import GANKitEvaluation
import GANKitMetrics
import GANKitNN
import GANKitTensor
import GANKitTraining

/// Scores a generator on its run's data: the toy metrics on 2-D data, the classifier-based scores
/// on images. Used by `train` (periodically) and `evaluate`.
struct RunEvaluator {
    var dataset: DatasetConfiguration
    var noise: LatentNoise
    var samples: Int
    var mmdBandwidth: Double = 1
    var seed: UInt64 = 0
    var classifier = ClassifierProvider(epochs: 6, limit: nil)
    /// A text data set's corpus, read once.
    var corpus: TextCorpus?
    /// FID and IS on the Inception network (`--inception-weights`), with the fingerprint of the
    /// training data (`DataIdentity`) that keys its cached real statistics.
    var inception: (provider: InceptionProvider, dataFingerprint: String)?
    /// Steps of the messengers each evaluation makes to measure what G0 learns against
    /// (`--eval-messenger-steps`; nil: the run's own messenger steps).
    var messengerProbeSteps: Int?

    func evaluate(_ generator: Module, log: (String) -> Void = { _ in }) throws -> EvaluationSummary {
        switch dataset {
        case .toy(let toy):
            return EvaluationSummary(try ToyEvaluation.evaluate(generator: generator, noise: noise, dataset: toy,
                                                                samples: samples, mmdBandwidth: mmdBandwidth, seed: seed))
        case .idx(let directory, _):
            let url = URL(fileURLWithPath: directory)
            let (net, accuracy) = try classifier.classifier(for: url, log: log)
            let real = try ImageDataset.mnistLike(directory: url, split: .test).images
            var summary = EvaluationSummary(try ImageEvaluation.evaluate(generator: generator, noise: noise, classifier: net,
                                                                         real: real, samples: samples, seed: seed, classifierAccuracy: accuracy))
            if let scores = try inceptionScores(generator, log: log) { summary.add(scores) }
            return summary
        case .text:
            let corpus = try self.corpus ?? dataset.textCorpus()
            return EvaluationSummary(try TextEvaluation.evaluate(generator: generator, noise: noise, corpus: corpus,
                                                                 samples: samples, seed: seed))
        case .cifar10, .imageFolder:
            guard let scores = try inceptionScores(generator, log: log) else { throw CLIError.badInput(Self.missingInception) }
            return EvaluationSummary(scores)
        }
    }

    static let missingInception = "scoring CIFAR-10 or an image folder needs the FID Inception network's weights (--inception-weights FILE; "
        + "scripts/convert-inception-weights converts the official pt_inception-2015-12-05 file)"

    private func inceptionScores(_ generator: Module, log: (String) -> Void) throws -> InceptionEvaluation? {
        guard let (provider, fingerprint) = inception else { return nil }
        return try provider.evaluate(generator, noise: noise, dataset: dataset, fingerprint: fingerprint, samples: samples, seed: seed, log: log)
    }

    /// Every generator of `trainer` by name (G0 first when there is a global pair, then G1…GN).
    static func namedGenerators(_ trainer: Trainer) -> [(name: String, network: Module)] {
        let global = trainer.global.map { [("G0", $0.generator.network)] } ?? []
        return global + trainer.pairs.enumerated().map { ("G\($0.offset + 1)", $0.element.generator.network) }
    }

    /// Scores every local generator and what they cover together (SGAN Fig. 2d). The product
    /// generator is scored by `evaluate`; here only the local pairs are.
    func evaluateLocalGenerators(of trainer: Trainer) throws -> (generators: [String: EvaluationSummary], ensemble: EnsembleSummary?) {
        var generators: [String: EvaluationSummary] = [:]
        var coverages: [(lenient: ModeCoverage, strict: ModeCoverage)] = []
        for (k, pair) in trainer.pairs.enumerated() {
            var summary = try evaluate(pair.generator.network)
            summary.generator = "G\(k + 1)"
            generators["G\(k + 1)"] = summary
            if let counts = summary.modeCounts, let strict = summary.strictModeThreshold, let threshold = summary.modeThreshold {
                coverages.append((try ModeCoverage(counts: counts, threshold: threshold), try ModeCoverage(counts: counts, threshold: strict)))
            }
        }
        guard coverages.count == trainer.pairs.count, !coverages.isEmpty, case .toy(let toy) = dataset, let mixture = try toy.mixture() else {
            return (generators, nil)
        }
        let lenient = try EnsembleCoverage(members: coverages.map(\.lenient)), strict = try EnsembleCoverage(members: coverages.map(\.strict))
        let reach = DiscriminatorReach(mixture: mixture, seed: seed)
        let localReach = trainer.pairs.map { reach.offDataRealFraction($0.discriminator.network) }
        let globalReach = trainer.global.map { reach.offDataRealFraction($0.discriminator.network) }
        var summary = EnsembleSummary(members: coverages.count, modesTotal: strict.modeCount, modesCovered: lenient.modesCovered,
                                      modesCoveredStrict: strict.modesCovered, uncoveredFraction: lenient.uncoveredFraction,
                                      uncoveredFractionStrict: strict.uncoveredFraction, uncoveredBySizeStrict: strict.uncoveredBySize,
                                      localDiscriminatorReach: localReach.reduce(0, +) / Double(localReach.count),
                                      globalDiscriminatorReach: globalReach)
        // How each discriminator ranks generated samples against the data, on noise of its own so
        // that the scores above keep their draws.
        var stream = RandomStream(seed: seed).derived("evaluation.discriminator-ranking")
        func ranked(_ generator: Module, by discriminators: [Module]) -> Double {
            generator.setTraining(false)
            defer { generator.setTraining(true) }
            let samples = generator(noise.sample(reach.realCount, using: &stream))
            return discriminators.map { reach.rankAboveData($0, samples: samples) }.reduce(0, +) / Double(discriminators.count)
        }
        summary.localRankAboveData = trainer.pairs.map { ranked($0.generator.network, by: [$0.discriminator.network]) }
            .reduce(0, +) / Double(trainer.pairs.count)
        if let global = trainer.global {
            summary.globalGeneratorRankAboveData = ranked(global.generator.network, by: trainer.pairs.map(\.discriminator.network))
            summary.globalRankAboveData = ranked(global.generator.network, by: [global.discriminator.network])
        }
        // Where the discriminators pull the samples (`DiscriminatorPull`), on noise of its own again.
        let pull = DiscriminatorPull(mixture: mixture)
        var pullStream = RandomStream(seed: seed).derived("evaluation.discriminator-pull")
        func samples(_ generator: Module, _ count: Int, _ stream: inout RandomStream) -> Tensor {
            generator.setTraining(false)
            defer { generator.setTraining(true) }
            return generator(noise.sample(count, using: &stream))
        }
        summary.localPullTowardMode = trainer.pairs.map { pair in
            pull.summarize([pair.discriminator.network], samples: samples(pair.generator.network, reach.realCount, &pullStream)).towardNearestMode
        }.reduce(0, +) / Double(trainer.pairs.count)
        if let global = trainer.global {
            let locals = trainer.pairs.map(\.discriminator.network)
            let g0Samples = samples(global.generator.network, reach.realCount, &pullStream)
            let localPulls = pull.pulls(of: locals, on: g0Samples)
            let g0 = pull.summarize(localPulls)
            summary.globalGeneratorPullAgreement = g0.agreement
            summary.globalGeneratorPullTowardMode = g0.towardNearestMode
            summary.globalGeneratorPullOutward = g0.outwardFromCentroid
            if let sgan = trainer.sgan,
               let messengers = probeMessengers(sgan, global.generator.network, batch: trainer.configuration.batchSize, mixture: mixture) {
                let messengerPulls = pull.pulls(of: messengers, on: g0Samples)
                let m = pull.summarize(messengerPulls)
                summary.messengerPullTowardMode = m.towardNearestMode
                summary.messengerPullAgreement = m.agreement
                summary.messengerPullOutward = m.outwardFromCentroid
                summary.messengerPullAlignment = DiscriminatorPull.alignment(messengerPulls, localPulls)
            }
        }
        return (generators, summary)
    }

    /// Messengers made as the run makes them, each trained for the run's messenger steps (or
    /// `messengerProbeSteps`) against fresh batches of G0's samples and of the data, on streams of
    /// the evaluation's own: what G0 learns against at this point of the run. Nil without
    /// messengers (simplified SGAN).
    private func probeMessengers(_ sgan: SGAN, _ generator: Module, batch: Int, mixture: GaussianMixture) -> [Module]? {
        var stream = RandomStream(seed: seed).derived("evaluation.messenger-probe")
        var penalties = RandomStream(seed: seed).derived("evaluation.messenger-probe.penalty")
        generator.setTraining(false)
        defer { generator.setTraining(true) }
        var messengers: [Module] = []
        for k in 0..<sgan.locals.count {
            let batches = (0..<(messengerProbeSteps ?? sgan.stepsPerMessenger)).map { _ in
                (real: mixture.sample(count: batch, using: &stream), fake: generator(noise.sample(batch, using: &stream)))
            }
            guard let messenger = sgan.probeMessenger(k, batches: batches, penaltyStream: &penalties) else { return nil }
            messengers.append(messenger)
        }
        return messengers
    }
}

/// What the local generators cover together, as metrics.jsonl spells it.
public struct EnsembleSummary: Codable, Equatable, Sendable {
    public var members: Int
    public var modesTotal: Int
    /// Modes at least one member covers with ≥ 1 sample.
    public var modesCovered: Int
    /// Modes at least one member covers with ≥ 1% of its samples.
    public var modesCoveredStrict: Int
    public var uncoveredFraction: Double
    public var uncoveredFractionStrict: Double
    /// Uncovered fraction (strict) of the first k members, k = 1…N.
    public var uncoveredBySizeStrict: [Double]
    /// Mean over the local discriminators D_n of the empty space they call real
    /// (`DiscriminatorReach`): where messengers, copies of D_n, can pull G0.
    public var localDiscriminatorReach: Double?
    /// The same for D0.
    public var globalDiscriminatorReach: Double?
    /// Mean over the pairs of the probability that D_n scores a sample of its own G_n above a
    /// data sample (`DiscriminatorReach.rankAboveData`; 0.5: D_n cannot tell them apart).
    public var localRankAboveData: Double?
    /// The same probability for G0's samples, asked of every D_n and averaged: where the
    /// messengers, fresh copies of the D_n, start from when they meet G0.
    public var globalGeneratorRankAboveData: Double?
    /// The same for G0's samples under D0.
    public var globalRankAboveData: Double?
    /// Mean over the pairs of how D_n pulls its own G_n's samples relative to their nearest mode
    /// (`DiscriminatorPull.Summary.towardNearestMode`; above 0: into the mode).
    public var localPullTowardMode: Double?
    /// How much the D_n agree on where G0's samples should go (mean cosine of their pulls).
    public var globalGeneratorPullAgreement: Double?
    /// How the D_n pull G0's samples relative to their nearest mode (above 0: into the mode).
    public var globalGeneratorPullTowardMode: Double?
    /// How the D_n pull G0's samples relative to the samples' own mean (above 0: they spread
    /// G0's cloud, below: they gather it, near 0: they move it as a whole).
    public var globalGeneratorPullOutward: Double?
    /// The same for messengers made at evaluation as the run makes them (the run's messenger
    /// steps against fresh batches of G0): what G0 actually learns against.
    public var messengerPullTowardMode: Double?
    /// How much those messengers agree on G0's samples (mean cosine of their pulls).
    public var messengerPullAgreement: Double?
    /// Whether those messengers spread G0's cloud of samples (above 0), gather it (below) or
    /// move it as a whole (near 0): `DiscriminatorPull.Summary.outwardFromCentroid`.
    public var messengerPullOutward: Double?
    /// The mean cosine between each messenger's pull and its D_n's on G0's samples: 1 when the
    /// messenger's steps left D_n's pull as it was.
    public var messengerPullAlignment: Double?

    enum CodingKeys: String, CodingKey {
        case members, modesTotal = "modes_total", modesCovered = "modes_covered", modesCoveredStrict = "modes_covered_strict"
        case uncoveredFraction = "uncovered_fraction", uncoveredFractionStrict = "uncovered_fraction_strict"
        case uncoveredBySizeStrict = "uncovered_by_size_strict"
        case localDiscriminatorReach = "local_discriminator_reach", globalDiscriminatorReach = "global_discriminator_reach"
        case localRankAboveData = "local_rank_above_data", globalGeneratorRankAboveData = "g0_rank_above_data_by_local"
        case globalRankAboveData = "g0_rank_above_data_by_d0"
        case localPullTowardMode = "local_pull_toward_mode", globalGeneratorPullAgreement = "g0_pull_agreement"
        case globalGeneratorPullTowardMode = "g0_pull_toward_mode"
        case messengerPullTowardMode = "g0_messenger_pull_toward_mode", messengerPullAgreement = "g0_messenger_pull_agreement"
        case messengerPullAlignment = "g0_messenger_pull_alignment"
        case globalGeneratorPullOutward = "g0_pull_outward", messengerPullOutward = "g0_messenger_pull_outward"
    }
}
