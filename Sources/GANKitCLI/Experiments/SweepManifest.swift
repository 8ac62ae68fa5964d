import Foundation

/// `DIR/sweep.json`: what a sweep is (file, scale, seeds, commit, command) and where each of its
/// runs stands. Rewritten atomically at every change, so a killed sweep resumes from it.
public struct SweepManifest: Codable, Sendable {
    public enum Status: String, Codable, Sendable {
        case pending, done
        /// The run stopped on a NaN or infinite loss: a result, not retried.
        case diverged
        /// The process failed otherwise (retried on --resume).
        case failed
    }

    public struct RunRecord: Codable, Sendable {
        public var cell: String
        public var variant: String
        public var seed: UInt64
        public var path: String
        public var status: Status
        /// Wall seconds of the run's processes, spawn to exit, summed over attempts.
        public var seconds: Double
        public var attempts: Int
        public var message: String?
    }

    public var format = 1
    public var experiment: String
    public var file: String
    public var fileSHA256: String
    public var scale: String?
    public var seeds: [UInt64]
    public var threadsPerRun: Int
    public var jobs: Int
    public var commit: String
    /// OpenBLAS's kernel family in each invocation (its `openblas_get_corename`, which
    /// `OPENBLAS_CORETYPE` can force), in order of first use. A seed repeats its numbers only
    /// under the same kernels: AVX2 and AVX-512 sgemm round differently, and a GAN's training
    /// amplifies that into another trajectory. Absent in sweeps older than the field.
    public var blasCores: [String]?
    public var command: String
    /// Every other `experiment run … --resume` that continued the sweep (more seeds, or after a
    /// kill), each once, in order: with `command`, what produced the sweep's runs. Absent in
    /// sweeps older than the field.
    public var resumes: [String]?
    public var started: Date
    /// Wall seconds of `experiment run` invocations, summed over resumes.
    public var wallSeconds: Double
    /// The runner's own time between a slot freeing and its next run starting, summed.
    public var schedulingSeconds: Double
    public var runs: [RunRecord]

    enum CodingKeys: String, CodingKey {
        case format, experiment, file, fileSHA256 = "file_sha256", scale, seeds, threadsPerRun = "threads_per_run", jobs, commit, blasCores = "blas_cores", command, resumes
        case started, wallSeconds = "wall_seconds", schedulingSeconds = "scheduling_seconds", runs
    }

    static func url(in directory: URL) -> URL { directory.appendingPathComponent("sweep.json") }

    static func read(from directory: URL) throws(CLIError) -> SweepManifest {
        let url = url(in: directory)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw .badInput("\(directory.path) is not an experiment directory (no sweep.json)")
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do { return try decoder.decode(SweepManifest.self, from: data) } catch {
            throw .badInput("\(url.path) is damaged: \(error)")
        }
    }

    func write(to directory: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        try encoder.encode(self).write(to: Self.url(in: directory), options: .atomic)
    }
}
