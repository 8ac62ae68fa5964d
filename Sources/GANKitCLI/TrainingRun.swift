import Foundation
import GANKitData
import GANKitReport
import GANKitSafetensors
import GANKitTraining
import Logging

/// One execution of `gankit train`: prepares (or resumes) the run directory, runs the one
/// training loop, and writes metrics, TensorBoard events, snapshots, checkpoints and the report.
///
/// Everything that can be wrong with the input is checked before the first file is written, so
/// bad input never overwrites anything.
struct TrainingRun {
    let plan: RunPlan
    let resuming: Bool
    let logger: Logger
    let console: Console

    func run() throws(CLIError) {
        let job = try DistributedRun.join(plan)
        let data = try DataIdentity(plan)
        try job?.agreeOnData(data)
        if let job, !job.isCoordinator {
            try job.serve { () throws(CLIError) in
                do {
                    return try Trainer(configuration: plan.training, data: try makeSource(), sganSchedule: job.sganSchedule ?? ThreadedSGANSchedule(),
                                       dataParallel: job.dataParallel)
                } catch let error as CLIError {
                    throw error
                } catch { throw .badInput("\(error)") }
            }
            return
        }
        defer { job?.finish() }
        let dir = plan.out
        let store = CheckpointStore(run: dir, data: data, keep: plan.keepCheckpoints)
        // The Inception weights are checked (every tensor's name and shape) before anything is written.
        let inception = try plan.options.inceptionWeights.map { path throws(CLIError) in
            let provider = InceptionProvider(weights: URL(fileURLWithPath: path), threads: plan.training.threads, console: console)
            _ = try provider.network()
            return (provider: provider, dataFingerprint: data.fingerprint ?? "")
        }
        // A resumed run is locked before its checkpoint is read; a new one once it is validated.
        var lock: RunLock? = resuming ? try RunLock(dir) : nil
        let checkpoint: TrainerCheckpoint? = resuming ? try store.read() : nil
        if resuming, let trained = try store.manifest().data, let problem = trained.mismatch(store.data!) {
            throw .badInput("cannot resume \(dir.path): \(problem)")
        }
        if !resuming { try Self.refuseExisting(dir) }

        logger.info("loading data: \(plan.options.dataset!.rawValue)")
        let source = try makeSource()
        let trainer: Trainer
        do {
            trainer = try Trainer(configuration: plan.training, data: source, sganSchedule: job?.sganSchedule ?? ThreadedSGANSchedule(),
                                  dataParallel: job?.dataParallel)
        } catch { throw .badInput(error.description) }
        if let placement = job?.placementDescription { console.line(placement) }
        if job == nil, plan.options.dataParallel == true { console.line("--data-parallel without mpirun: one rank, the whole batch in this process") }
        if !resuming, let path = plan.options.initFrom {
            let set = try Self.loadInitialWeights(path, into: trainer)
            logger.info("started \(set.joined(separator: ", ")) from \(path)")
        }
        if let checkpoint {
            do { try trainer.restore(checkpoint) } catch {
                throw .badInput("cannot resume \(dir.path): \(error) (its options are in \(dir.appendingPathComponent("config.json").path))")
            }
            logger.info("resumed \(dir.path) at iteration \(trainer.iteration)")
            if trainer.iteration >= plan.iterations {
                // Nothing to train: the run and its config.json stay exactly as they are.
                console.line("\(dir.path) is already at iteration \(trainer.iteration) (asked for \(plan.iterations)); nothing to do")
                return
            }
        }

        if lock == nil {
            do { try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true) } catch {
                throw .failure("cannot create \(dir.path): \(error)")
            }
            lock = try RunLock(dir)
            try Self.refuseExisting(dir)  // another writer may have started between the check and the lock
        }
        defer { withExtendedLifetime(lock) {} }
        if let checkpoint {
            // The resumed run writes the iterations after its checkpoint again.
            do { try TensorBoardEventFiles.dropEvents(after: checkpoint.record.iteration, in: dir) } catch {
                throw .failure("cannot trim the TensorBoard events of \(dir.path) to iteration \(checkpoint.record.iteration): \(error)")
            }
        }
        do {
            try FileManager.default.createDirectory(at: dir.appendingPathComponent("samples"), withIntermediateDirectories: true)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            try encoder.encode(plan.options).write(to: dir.appendingPathComponent("config.json"), options: .atomic)
            if let placement = job?.placementRecord() { try placement.write(to: dir.appendingPathComponent("placement.json"), options: .atomic) }
        } catch { throw .failure("cannot write to \(dir.path): \(error)") }

        do {
            try loop(trainer, corpus: (source as? TextDataSource)?.corpus, inception: inception, store: store,
                     startedFrom: checkpoint?.record.iteration ?? 0, interrupt: InterruptFlag(immediateStop: job?.stopReport(store)))
        } catch let error as CLIError {
            throw error
        } catch {
            throw .failure("\(error)")
        }
    }

    /// The run's real data, as every rank of a job builds it.
    private func makeSource() throws(CLIError) -> any RealDataSource {
        do {
            switch plan.dataset {
            case .cifar10, .imageFolder: return PackedImageSource(images: try Self.loadImages(plan.dataset, console: console, logger: logger))
            default: return try plan.textCorpus.map { TextDataSource(corpus: $0) } ?? plan.dataset.makeSource()
            }
        } catch let error as CLIError {
            throw error
        } catch {
            throw .badInput("invalid --\(plan.dataset.toy == nil ? "data-dir" : "dataset"): \(error)")
        }
    }

    /// CIFAR-10 or an image folder as bytes; a folder's first run decodes it into the cache with a
    /// progress bar (Ctrl-C stops it cleanly, leaving no partial cache), later runs map the cache.
    static func loadImages(_ dataset: DatasetConfiguration, console: Console, logger: Logger) throws -> PackedImages {
        let interrupt = InterruptFlag()
        interrupt.install()
        defer { interrupt.uninstall() }
        let progress = CountProgress(console: console, label: "decoding images")
        let packed: PackedFolder
        do {
            packed = try dataset.packedImages(progress: { progress.update($0, of: $1) }, shouldStop: { interrupt.isRaised })
        } catch DataError.interrupted(let path) {
            throw CLIError.interrupted("decoding \(path) was interrupted; nothing was written")
        }
        if let cache = packed.cacheFile { logger.info("\(packed.fromCache ? "mapped" : "cached") \(packed.images.count) images in \(cache.path)") }
        if packed.skippedCount > 0 {
            let examples = packed.skipped.prefix(3).map(\.reason)  // each reason names its file
            console.error("skipped \(packed.skippedCount) bad image file\(packed.skippedCount == 1 ? "" : "s") (--skip-bad-images)"
                          + (examples.isEmpty ? " when the cache was built" : ", e.g.\n  " + examples.joined(separator: "\n  ")))
        }
        return packed.images
    }

    /// `--init-from FILE`: every tensor checked against the run's networks before any is set.
    static func loadInitialWeights(_ path: String, into trainer: Trainer) throws(CLIError) -> [String] {
        let file: SafetensorsFile
        do { file = try SafetensorsFile.read(from: URL(fileURLWithPath: path)) } catch { throw .badInput("invalid --init-from: \(path): \(error)") }
        do { return try trainer.loadInitialWeights(file.tensors) } catch { throw .badInput("invalid --init-from: \(path): \(error)") }
    }

    /// `--out` must be new (or an empty directory): an existing run is continued only by --resume.
    static func refuseExisting(_ dir: URL) throws(CLIError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir.path, isDirectory: &isDirectory) else { return }
        // Empty, or holding only the lock file of a run that never wrote anything.
        let contents = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? ["?"]
        let empty = isDirectory.boolValue && contents.allSatisfy { $0 == RunLock.fileName }
        if !empty {
            throw .badInput("invalid --out: \(dir.path) already exists; choose a new directory, or continue that run with --resume \(dir.path)")
        }
    }

    /// `corpus`: a text run's corpus as read before the run directory existed (it may lie inside the corpus).
    private func loop(_ trainer: Trainer, corpus: TextCorpus?, inception: (provider: InceptionProvider, dataFingerprint: String)?,
                      store: CheckpointStore, startedFrom: Int, interrupt: InterruptFlag) throws {
        let dir = plan.out
        let total = plan.iterations
        interrupt.install()
        defer { interrupt.uninstall() }
        let events = try TensorBoardEventWriter(directory: dir)
        let metrics = try MetricsLog(url: dir.appendingPathComponent("metrics.jsonl"), keepingThrough: resuming ? trainer.iteration : nil)
        let progress = ProgressDisplay(console: console, total: total, startIteration: trainer.iteration)
        let snapshots = RunSnapshots(trainer: trainer, dataset: plan.dataset, vocabulary: corpus?.vocabulary)
        var evaluator = RunEvaluator(dataset: plan.dataset, noise: plan.training.networks.noise, samples: plan.evalSamples)
        evaluator.corpus = corpus
        evaluator.inception = inception
        evaluator.messengerProbeSteps = plan.options.evalMessengerSteps
        var lastCheckpoint = startedFrom
        var best = plan.options.bestMetric.map { BestCheckpoint(run: dir, metric: $0) }
        // A run of an experiment sweep stops (with a checkpoint) when its runner dies, even by
        // SIGKILL, rather than running on unsupervised beside the sweep's resumed copy.
        let supervisor: pid_t? = ProcessInfo.processInfo.environment["GANKIT_STOP_WITH_PARENT"] == "1" ? getppid() : nil
        logger.info("training \(dir.path): iterations \(trainer.iteration + 1)…\(total)")

        while trainer.iteration < total {
            let step = trainer.step()
            let it = step.iteration
            if let problem = DivergenceGuard.problem(in: step, trainer: trainer) {
                try metrics.append(MetricsLine(step, metrics: nil))
                try? RunReport(run: dir, status: "diverged at iteration \(it)").write()
                let kept = lastCheckpoint > 0 ? "the last good checkpoint (iteration \(lastCheckpoint)) is kept in \(store.directory.path)" : "no checkpoint had been written"
                throw CLIError.failure("training diverged: \(problem); \(kept)")
            }
            var evaluation: EvaluationSummary?
            var locals: (generators: [String: EvaluationSummary], ensemble: EnsembleSummary?)?
            // Text runs are also scored after their first iteration, the first row of SGAN's Table 2.
            if plan.evalEvery > 0, it % plan.evalEvery == 0 || it == total || (corpus != nil && it == 1) {
                do {
                    evaluation = try evaluator.evaluate(trainer.productGenerator) { logger.info("\($0)") }
                    evaluation?.iteration = it
                    progress.metric = evaluation?.headline
                    if plan.evaluatesEveryGenerator {
                        trainer.synchronize()  // the local pairs of other ranks
                        locals = try evaluator.evaluateLocalGenerators(of: trainer)
                    }
                } catch { logger.warning("evaluation at iteration \(it) failed: \(error)") }
                if let evaluation, best != nil,
                   try best!.consider(evaluation, checkpoint: { trainer.checkpoint() }, config: dir.appendingPathComponent("config.json")) {
                    logger.info("best \(best!.metric.rawValue) so far at iteration \(it): kept in \(best!.directory.path)")
                }
            }
            if it % plan.logEvery == 0 || it == total || evaluation != nil {
                let line = MetricsLine(step, metrics: evaluation, generators: locals?.generators, ensemble: locals?.ensemble)
                try metrics.append(line)
                try events.addScalars(Self.scalars(line), step: it)
            }
            if (plan.sampleEvery > 0 && it % plan.sampleEvery == 0) || it == total {
                trainer.synchronize()
                let picture = try snapshots.picture()
                try picture.png.write(to: dir.appendingPathComponent(String(format: "samples/iteration-%08d.png", it)), options: .atomic)
                try events.addImage(tag: "samples", png: picture.png, width: picture.width, height: picture.height, channels: 3, step: it)
                if let text = picture.text {
                    try Data((text.joined(separator: "\n") + "\n").utf8)
                        .write(to: dir.appendingPathComponent(String(format: "samples/iteration-%08d.txt", it)), options: .atomic)
                    // Markdown: four spaces keep each sentence verbatim, padding and spaces included.
                    try events.addText(tag: "samples/text", text.map { "    " + $0 }.joined(separator: "\n"), step: it)
                }
                try events.flush()
            }
            progress.update(step)
            if it % plan.checkpointEvery == 0 || it == total {
                try store.write(trainer.checkpoint())
                lastCheckpoint = it
                logger.debug("checkpoint at iteration \(it)")
            }
            if let supervisor, getppid() != supervisor { interrupt.raise() }
            if interrupt.isRaised {
                if lastCheckpoint != it { try store.write(trainer.checkpoint()) }
                try events.flush()
                try? RunReport(run: dir, status: "interrupted at iteration \(it) of \(total)").write()
                if console.isTerminal { console.write("\n") }
                throw CLIError.interrupted("interrupted at iteration \(it); checkpoint written. Continue with: gankit train --resume \(dir.path) --iterations \(total)")
            }
        }
        try events.flush()
        if plan.dataset.toy != nil, trainer.pairs.count > 1 {
            trainer.synchronize()
            try evaluateEveryGenerator(trainer, evaluator)
        }
        try RunReport(run: dir, status: "\(total) iterations").write()
        console.line("report: \(dir.appendingPathComponent("index.html").path)")
    }

    /// On toy data with several pairs, scores every generator at the end (generators.json): SGAN's
    /// point is what the local pairs cover together and what G0 learns from them.
    private func evaluateEveryGenerator(_ trainer: Trainer, _ evaluator: RunEvaluator) throws {
        var all: [EvaluationSummary] = []
        for (name, network) in RunEvaluator.namedGenerators(trainer) {
            do {
                var summary = try evaluator.evaluate(network)
                summary.generator = name
                summary.iteration = trainer.iteration
                all.append(summary)
            } catch { logger.warning("evaluation of \(name) failed: \(error)") }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(all).write(to: plan.out.appendingPathComponent("generators.json"), options: .atomic)
    }

    /// TensorBoard tags: `loss/G1`, `penalty/D0`, `weight_variance/G0`, `gradient_norm/G0`, `metrics/modes_covered`, ….
    static func scalars(_ line: MetricsLine) -> [(tag: String, value: Float)] {
        var out: [(tag: String, value: Float)] = line.loss.sorted { $0.key < $1.key }.map { ("loss/\($0.key)", $0.value) }
        out += (line.penalty ?? [:]).sorted { $0.key < $1.key }.map { ("penalty/\($0.key)", $0.value) }
        out += (line.weightVariance ?? [:]).sorted { $0.key < $1.key }.map { ("weight_variance/\($0.key)", $0.value) }
        out += (line.gradientNorm ?? [:]).sorted { $0.key < $1.key }.map { ("gradient_norm/\($0.key)", $0.value) }
        if let m = line.metrics {
            let values: [(String, Double?)] = [
                ("modes_covered", m.modesCovered.map(Double.init)), ("modes_covered_strict", m.modesCoveredStrict.map(Double.init)),
                ("high_quality_fraction", m.highQualityFraction), ("mmd2", m.mmd2), ("mmd2_sigma_0.1", m.mmd2Narrow),
                ("mmd2_sigma_0.5", m.mmd2Medium), ("kde_log_likelihood", m.kdeLogLikelihood),
                ("coverage", m.coverage), ("kl_to_uniform", m.klToUniform), ("basin_entropy", m.basinEntropy),
                ("mean_mode_distance", m.meanModeDistance), ("sample_spread", m.sampleSpread), ("inception_score", m.inceptionScore),
                ("fid_classifier", m.fidClassifier), ("class_entropy", m.classEntropy), ("total_variation", m.totalVariation),
                ("fid_inception", m.fidInception), ("inception_score_inception", m.inceptionScoreInception),
                ("js_1", m.js1), ("js_2", m.js2), ("js_3", m.js3), ("js_4", m.js4),
                ("dominant_symbol_fraction", m.dominantSymbolFraction), ("distinct_symbols", m.distinctSymbols.map(Double.init)),
            ]
            out += values.compactMap { name, v in v.map { ("metrics/\(name)", Float($0)) } }
        }
        if let e = line.ensemble {
            out += [("ensemble/modes_covered_strict", Float(e.modesCoveredStrict)), ("ensemble/uncovered_fraction_strict", Float(e.uncoveredFractionStrict))]
        }
        return out
    }
}
