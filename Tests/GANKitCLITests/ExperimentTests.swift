import Foundation
import GANKitTestSupport
import Testing
import GANKitData
import GANKitTensor
@testable import GANKitCLI

/// `gankit experiment`: files, scheduling, determinism, kill and resume, and the report's checks.
@Suite struct ExperimentTests {
    /// A tiny sweep: 2 variants × 2 seeds of small SGAN and single pairs on the ring.
    static let tinyFile = """
        title: "tiny"
        paper: "a test"
        claim: "SGAN's G0 covers more modes"
        base:
          dataset: ring8
          objective: wgan-gp
          width: 16
          depth: 2
          latent-dim: 4
          batch-size: 32
          iterations: 12
          eval-every: 4
          eval-samples: 200
          checkpoint-every: 4
          sample-every: 6
          log-every: 2
        variants:
          S: {topology: sgan, pairs: 2, eval-generators: all, messengers: true}
          single: {topology: single}
        seeds: 2
        table:
          iterations: [4, 12]
          metrics: [modes_covered_strict, mmd2_sigma_0.1]
        figures:
          - metric: mmd2_sigma_0.1
        panels: [6, 12]
        checks:
          - claim: "G0 beats the single pair"
            metric: mmd2_sigma_0.1
            at: 12
            better: lower
            method: S
            baseline: single

        """

    func write(_ text: String, name: String = "tiny") throws -> URL {
        let url = try makeTemporaryDirectory().appendingPathComponent("\(name).yaml")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test func aRunInsideTheSweepIsBitIdenticalToTheSameRunAlone() throws {
        let file = try write(Self.tinyFile)
        let sweep = file.deletingLastPathComponent().appendingPathComponent("sweep")
        let run = gankit(["experiment", "run", file.path, "--jobs", "2", "--out", sweep.path])
        #expect(run.status == 0, "\(run.error)")
        #expect(run.output.contains("[4/4]"))
        let manifest = try SweepManifest.read(from: sweep)
        #expect(manifest.runs.map(\.status) == [.done, .done, .done, .done])
        #expect(manifest.runs.map(\.path) == ["runs/S/seed-0", "runs/S/seed-1", "runs/single/seed-0", "runs/single/seed-1"])
        // The same options through `gankit train` alone.
        let alone = file.deletingLastPathComponent().appendingPathComponent("alone")
        var options = try ConfigFile.load(sweep.appendingPathComponent("configs/S-seed-1.json").path)
        options.out = alone.path
        let encoder = JSONEncoder()
        let config = file.deletingLastPathComponent().appendingPathComponent("alone.json")
        try encoder.encode(options).write(to: config)
        #expect(gankit(["train", "--config", config.path]).status == 0)
        let a = try checkpointTensors(sweep.appendingPathComponent("runs/S/seed-1")), b = try checkpointTensors(alone)
        #expect(a.tensors.keys.sorted() == b.tensors.keys.sorted())
        for (name, t) in a.tensors { #expect(t.isBitwiseIdentical(to: b.tensors[name]!), "\(name) differs") }
        // Seeds differ from each other.
        let other = try checkpointTensors(sweep.appendingPathComponent("runs/S/seed-0"))
        #expect(!other.tensors["global.generator.network.0.weight"]!.isBitwiseIdentical(to: a.tensors["global.generator.network.0.weight"]!))

        // More seeds join a finished sweep; fewer are refused.
        let fewer = gankit(["experiment", "run", file.path, "--resume", "--seeds", "1", "--out", sweep.path])
        #expect(fewer.status == 2 && fewer.error.contains("may add seeds"), "\(fewer.error)")
        let more = gankit(["experiment", "run", file.path, "--resume", "--seeds", "3", "--out", sweep.path])
        #expect(more.status == 0 && more.output.contains("4 already finished") && more.output.contains("[6/6]"), "\(more.output)\(more.error)")
        #expect(try SweepManifest.read(from: sweep).seeds == [0, 1, 2])
        let c = try checkpointTensors(sweep.appendingPathComponent("runs/S/seed-1"))
        for (name, t) in a.tensors { #expect(t.isBitwiseIdentical(to: c.tensors[name]!), "\(name) was rewritten") }

        // The report: data files, figures, panels, page and index.
        let out = file.deletingLastPathComponent().appendingPathComponent("docs")
        let report = gankit(["experiment", "report", sweep.path, "--out", out.path])
        #expect(report.status == 0, "\(report.error)")
        for f in ["tiny.md", "README.md", "tiny/results.json.gz", "tiny/results.csv.gz", "tiny/verdict.json", "tiny/figure-1.png", "tiny/figure-1.svg",
                  "tiny/panels/S-6.png", "tiny/panels/single-12.png"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(f).path), "\(f)")
        }
        let page = try String(contentsOf: out.appendingPathComponent("tiny.md"), encoding: .utf8)
        #expect(page.contains("**Verdict: "))
        // The BLAS kernels decide whether a seed repeats its numbers: the sweep records them.
        #expect(manifest.blasCores == [BLAS.coreName] && page.contains("- BLAS kernels: OpenBLAS \(BLAS.coreName)\n"))
        #expect(page.contains("| S | ") && page.contains("seed 0 | seed 1 | seed 2"))
        // Options as the file spells them: booleans as booleans, numbers as numbers.
        #expect(page.contains("| S | `eval-generators: all, messengers: true, pairs: 2, topology: sgan` |"), "\(page)")
        #expect(page.contains("batch-size: 32, checkpoint-every: 4"))
        let csv = String(decoding: try Gzip.read(contentsOf: out.appendingPathComponent("tiny/results.csv.gz")), as: UTF8.self)
        let header = csv.split(separator: "\n")[0].split(separator: ",").map(String.init)
        #expect(Array(header.prefix(5)) == ["cell", "variant", "seed", "status", "iteration"])
        #expect(header.contains("ensemble.modes_covered_strict") && header.contains("G1.mmd2_sigma_0.1"))
        // How the discriminators rank the generators' samples against the data, and where they pull them.
        for key in ["ensemble.local_rank_above_data", "ensemble.g0_rank_above_data_by_local", "ensemble.g0_rank_above_data_by_d0",
                    "ensemble.local_pull_toward_mode", "ensemble.g0_pull_agreement", "ensemble.g0_pull_toward_mode",
                    "ensemble.g0_messenger_pull_toward_mode", "ensemble.g0_messenger_pull_agreement", "ensemble.g0_messenger_pull_alignment"] {
            #expect(header.contains(key), "\(key)")
        }
        #expect(csv.contains("\nS,S,1,done,12,"))
        #expect(csv.split(separator: "\n").count == 1 + 3 * 2 * 3)  // header + 3 evaluations × 2 cells × 3 seeds
        let index = try String(contentsOf: out.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(index.contains("[tiny](tiny.md)"))

        // Prose edited after the sweep, moving every line below it: the page takes it. Runs or
        // checks edited after the sweep: refused, naming what changed.
        let reworded = Self.tinyFile.replacingOccurrences(of: "claim: \"SGAN's G0 covers more modes\"\n",
                                                          with: "claim: \"SGAN's G0 covers more modes\"\nsettings: |\n  Reworded after the runs,\n  over two lines.\n")
        let presentation = try write(reworded, name: "reworded")
        let rereport = gankit(["experiment", "report", sweep.path, "--out", out.path, "--file", presentation.path])
        #expect(rereport.status == 0, "\(rereport.error)")
        #expect(try String(contentsOf: out.appendingPathComponent("tiny.md"), encoding: .utf8).contains("Reworded after the runs"))
        for (from, to, what) in [("at: 12", "at: 4", "checks"), ("width: 16", "width: 17", "base options"), ("pairs: 2", "pairs: 3", "variants")] {
            let changed = try write(reworded.replacingOccurrences(of: from, with: to), name: "changed")
            let refused = gankit(["experiment", "report", sweep.path, "--out", out.path, "--file", changed.path])
            #expect(refused.status == 2 && refused.error.contains("declares other \(what) than the sweep ran with"), "\(refused.error)")
        }
    }

    @Test func killedSweepResumesToTheSameResults() throws {
        let binary = try #require(TrainingRunTests.executable, "the gankit executable is not built next to the tests")
        let slow = Self.tinyFile.replacingOccurrences(of: "iterations: 12", with: "iterations: 400")
            .replacingOccurrences(of: "checkpoint-every: 4", with: "checkpoint-every: 20")
            .replacingOccurrences(of: "eval-every: 4", with: "eval-every: 100")
        let file = try write(slow)
        let dir = file.deletingLastPathComponent()
        let straight = dir.appendingPathComponent("straight"), killed = dir.appendingPathComponent("killed")
        #expect(try ExternalProcess.run(binary.path, ["experiment", "run", file.path, "--jobs", "1", "--out", straight.path]).status == 0)

        let process = try launchGankit(binary, ["experiment", "run", file.path, "--jobs", "1", "--out", killed.path])
        // Wait until the second run has written a checkpoint: one run finished, one part-way.
        waitFor(killed.appendingPathComponent("runs/S/seed-1/checkpoints/checkpoint.json"), while: process, seconds: 120)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal, "the sweep finished before it could be killed")
        // The orphaned run notices and stops with a checkpoint (exit 130, written to its log).
        let log = killed.appendingPathComponent("logs/S-seed-1.log")
        let stopBy = Date().addingTimeInterval(60)
        while !((try? String(contentsOf: log, encoding: .utf8))?.contains("interrupted at iteration") ?? false), Date() < stopBy { usleep(10000) }
        #expect(try String(contentsOf: log, encoding: .utf8).contains("interrupted at iteration"))
        let before = try SweepManifest.read(from: killed)
        #expect(before.runs[0].status == .done && before.runs[1].status == .pending)

        let refused = try ExternalProcess.run(binary.path, ["experiment", "run", file.path, "--jobs", "1", "--out", killed.path])
        #expect(refused.status == 2 && refused.error.contains("already exists"), "\(refused.error)")
        let resumed = try ExternalProcess.run(binary.path, ["experiment", "run", file.path, "--resume", "--jobs", "1", "--out", killed.path])
        #expect(resumed.status == 0, "\(resumed.error)")
        #expect(resumed.output.contains("1 already finished"))
        let after = try SweepManifest.read(from: killed)
        #expect(after.runs.allSatisfy { $0.status == .done })
        #expect(after.runs[0].attempts == 1)
        // The page names the command that finished the sweep, not only the one that started it.
        #expect(after.command == "gankit experiment run \(file.path) --seeds 2 --jobs 1")
        #expect(after.resumes == ["gankit experiment run \(file.path) --seeds 2 --jobs 1 --resume"], "\(after.resumes ?? [])")
        let pages = dir.appendingPathComponent("pages")
        #expect(try ExternalProcess.run(binary.path, ["experiment", "report", killed.path, "--out", pages.path]).status == 0)
        #expect(try String(contentsOf: pages.appendingPathComponent("tiny.md"), encoding: .utf8)
            .contains("continued by `gankit experiment run \(file.path) --seeds 2 --jobs 1 --resume`"))
        for path in ["runs/S/seed-0", "runs/S/seed-1", "runs/single/seed-0", "runs/single/seed-1"] {
            let a = try checkpointTensors(straight.appendingPathComponent(path)), b = try checkpointTensors(killed.appendingPathComponent(path))
            for (name, t) in a.tensors { #expect(t.isBitwiseIdentical(to: b.tensors[name]!), "\(path): \(name) differs") }
        }
        // An edit to the presentation resumes, even one that moves the variants' lines; an edit
        // to the runs or the checks does not.
        try slow.replacingOccurrences(of: "metrics: [modes_covered_strict, mmd2_sigma_0.1]", with: "metrics: [mmd2_sigma_0.1]")
            .replacingOccurrences(of: "paper: \"a test\"\n", with: "paper: \"a test\"\nsettings: \"added later\"\n")
            .write(to: file, atomically: true, encoding: .utf8)
        let edited = try ExternalProcess.run(binary.path, ["experiment", "run", file.path, "--resume", "--out", killed.path])
        #expect(edited.status == 0, "\(edited.error)")
        for (from, to, what) in [("at: 12", "at: 11", "checks"), ("width: 16", "width: 17", "base options")] {
            try slow.replacingOccurrences(of: from, with: to).write(to: file, atomically: true, encoding: .utf8)
            let changed = try ExternalProcess.run(binary.path, ["experiment", "run", file.path, "--resume", "--out", killed.path])
            #expect(changed.status == 2 && changed.error.contains("changed its \(what) since the sweep started"), "\(changed.error)")
        }
    }

    @Test(arguments: [
        ("  bogus: 1\n", ":2: 'bogus': unknown key"),
        ("variants:\n  A: {widht: 3}\n", "'variants.A.widht': unknown train option"),
        ("variants:\n  A: {beta: nan}\n", "'variants.A.beta': must be a finite number"),
        ("variants:\n  A: {iterations: many}\n", "'variants.A.iterations': bad value 'many'"),
        ("variants:\n  A: {out: x}\n", "the experiment runner places every run itself"),
        ("checks:\n  - {claim: c, metric: m, at: 5, better: lower, method: nobody, value: 1}\n", "no variant named 'nobody'"),
        ("checks:\n  - {claim: c, metric: m, at: 5, better: sideways, method: base, value: 1}\n", "must be higher, lower or similar"),
        ("scales:\n  huge: {iterations: 3}\n", "scales are smoke and full"),
        ("variants:\n  A: {topology: sgan, pairs: 0}\n", "variant 'A'"),
        // An alias bomb with an alias as a key hung Yams (found by fuzzing the config file).
        ("x: &a [1, 1, 1]\n" + (1...17).map { "y\($0): *a\n" }.joined(), "more than 16 YAML aliases"),
    ])
    func badFilesAreRefusedNamingFileLineAndKey(fault: String, message: String) throws {
        var text = "title: t\npaper: p\nclaim: c\nbase:\n  dataset: ring8\n  iterations: 3\n"
        if fault.hasPrefix("  ") { text = "bogus: 1\n" + text } else { text += fault }
        let file = try write(text, name: "bad")
        let out = file.deletingLastPathComponent().appendingPathComponent("sweep")
        let result = gankit(["experiment", "run", file.path, "--out", out.path])
        #expect(result.status == 2)
        #expect(result.error.contains(file.path), "\(result.error)")
        #expect(result.error.contains(fault.hasPrefix("  ") ? ":1: 'bogus': unknown key" : message), "\(result.error)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test func badCommandLinesAreRefusedBeforeAnyRun() throws {
        let file = try write(Self.tinyFile)
        let out = file.deletingLastPathComponent().appendingPathComponent("sweep")
        let cores = ProcessInfo.processInfo.activeProcessorCount
        for (args, message) in [(["--jobs", "\(cores + 1)"], "exceeds this machine's"), (["--scale", "huge"], "has no scale 'huge'"),
                                (["--seeds", "0"], "invalid --seeds"), (["--jobs", "0"], "invalid --jobs")] {
            let result = gankit(["experiment", "run", file.path, "--out", out.path] + args)
            #expect(result.status == 2 && result.error.contains(message), "\(args): \(result.error)")
        }
        #expect(!FileManager.default.fileExists(atPath: out.path))
        #expect(gankit(["experiment", "report", out.path]).status == 2)
    }

    /// The checks' arithmetic on a sweep written by hand with known numbers.
    /// Seeds 0–1 in one sweep and seed 2 in another (`--first-seed 2`), merged by the second
    /// report from the first one's results.json.gz, give the numbers and checks of one sweep of
    /// seeds 0–2; merges that would mix experiments or count a seed twice are refused.
    @Test func aSweepOfLaterSeedsMergesWithAnEarlierReport() throws {
        let file = try write(Self.tinyFile)
        let dir = file.deletingLastPathComponent()
        func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
        for (name, seeds) in [("early", ["--seeds", "2"]), ("late", ["--seeds", "1", "--first-seed", "2"]), ("all", ["--seeds", "3"])] {
            let r = gankit(["experiment", "run", file.path, "--jobs", "2", "--out", path(name)] + seeds)
            #expect(r.status == 0, "\(r.error)")
        }
        #expect(try SweepManifest.read(from: URL(fileURLWithPath: path("late"))).runs.map(\.path) == ["runs/S/seed-2", "runs/single/seed-2"])
        #expect(gankit(["experiment", "report", path("early"), "--out", path("early-report")]).status == 0)
        let earlier = path("early-report/tiny/results.json.gz")
        let merged = gankit(["experiment", "report", path("late"), "--with", earlier, "--out", path("merged")])
        #expect(merged.status == 0, "\(merged.error)")
        #expect(gankit(["experiment", "report", path("all"), "--out", path("one")]).status == 0)

        func text(_ p: String) throws -> String { String(decoding: try Gzip.read(contentsOf: URL(fileURLWithPath: p)), as: UTF8.self) }
        func load(_ p: String) throws -> [String: Any] { try #require(try JSONSerialization.jsonObject(with: Data(text(p).utf8)) as? [String: Any]) }
        let a = try load(path("merged/tiny/results.json.gz")), b = try load(path("one/tiny/results.json.gz"))
        #expect(a["seeds"] as? [Int] == [0, 1, 2] && a["sweep_seeds"] as? [Int] == [2])
        func runs(_ o: [String: Any]) -> [String: NSDictionary] {
            Dictionary(uniqueKeysWithValues: (o["runs"] as! [[String: Any]]).map { r in
                ("\(r["cell"]!) \(r["seed"]!)", NSDictionary(dictionary: r.filter { ["iterations", "metrics", "status"].contains($0.key) }))
            })
        }
        #expect(runs(a).count == 6 && runs(a) == runs(b))
        func checks(_ o: [String: Any]) -> [NSDictionary] {
            (o["checks"] as! [[String: Any]]).map { NSDictionary(dictionary: $0.filter { ["outcome", "method_mean", "baseline_mean", "method_half_width"].contains($0.key) }) }
        }
        #expect(checks(a) == checks(b))
        // A plain results.json, as reports wrote before they gzipped it, merges the same.
        try text(earlier).write(toFile: path("plain.json"), atomically: true, encoding: .utf8)
        #expect(gankit(["experiment", "report", path("late"), "--with", path("plain.json"), "--out", path("merged-plain")]).status == 0)
        #expect(runs(try load(path("merged-plain/tiny/results.json.gz"))) == runs(a))
        let page = try String(contentsOfFile: path("merged/tiny.md"), encoding: .utf8)
        #expect(page.contains("seeds: 0, 1, 2 (3 per cell; this sweep ran 2)") && page.contains("Merged from `\(earlier)`: seeds 0, 1"), "\(page)")
        #expect(page.contains("| cell | seed 0 | seed 1 | seed 2 |"))

        // A seed counted twice is refused, and so are results of another experiment or none.
        let again = gankit(["experiment", "report", path("late"), "--with", earlier, "--with", path("one/tiny/results.json.gz"), "--out", path("x")])
        #expect(again.status == 2 && again.error.contains("seed 0 is already"), "\(again.error)")
        #expect(!FileManager.default.fileExists(atPath: path("x")))
        let other = try text(earlier).replacingOccurrences(of: "\"experiment\":\"tiny\"", with: "\"experiment\":\"other\"")
        try other.write(toFile: path("other.json"), atomically: true, encoding: .utf8)
        let wider = try text(earlier).replacingOccurrences(of: "width: 16", with: "width: 17")
        try wider.write(toFile: path("wider.json"), atomically: true, encoding: .utf8)
        var corrupt = try Data(contentsOf: URL(fileURLWithPath: earlier))
        corrupt.replaceSubrange(corrupt.count / 2..<corrupt.count, with: Data(repeating: 0x55, count: corrupt.count - corrupt.count / 2))
        try corrupt.write(to: URL(fileURLWithPath: path("corrupt.json.gz")))
        for (with, problem) in [(path("other.json"), "it holds experiment 'other'"), (path("missing.json"), "no such file"), (file.path, "not the results.json"),
                                (path("wider.json"), "it ran other base options than this sweep"),
                                (path("corrupt.json.gz"), "not a readable JSON or gzip file")] {
            let r = gankit(["experiment", "report", path("late"), "--with", with, "--out", path("x")])
            #expect(r.status == 2 && r.error.contains("invalid --with \(with): \(problem)"), "\(r.error)")
        }
    }

    @Test func checksAndVerdictFromKnownNumbers() throws {
        let dir = try makeTemporaryDirectory()
        let text = """
            title: t
            paper: p
            claim: c
            base: {dataset: ring8}
            variants:
              M: {}
              B: {}
            seeds: 3
            checks:
              - {claim: separated, metric: m, at: 10, better: lower, method: M, baseline: B}
              - {claim: overlapping, metric: o, at: 10, better: lower, method: M, baseline: B}
              - {claim: reversed, metric: m, at: 10, better: higher, method: M, baseline: B}
              - {claim: paired, metric: m, at: 10, better: lower, method: M, baseline-metric: m2}
              - {claim: bar, metric: m, over: [5, 10], better: lower, method: M, value: 2}
              - {claim: same, metric: o, at: 10, better: similar, tolerance: 5, method: M, baseline: B}
              - {claim: paired-same, metric: m, at: 10, better: similar, tolerance: 1.5, method: M, baseline-metric: m2}
              - {claim: paired-apart, metric: m, at: 10, better: similar, tolerance: 0.5, method: M, baseline-metric: m2}

            """
        try text.write(to: dir.appendingPathComponent("experiment.yaml"), atomically: true, encoding: .utf8)
        // M: m = 1, 1.1, 0.9 at iteration 10 (and 3 at iteration 5); B: m = 5, 5.2, 4.8.
        // o overlaps: M 1, 2, 3; B 1.5, 2.5, 3.5. m2 = m + 1 in M, seed by seed.
        var records: [SweepManifest.RunRecord] = []
        for (cell, ms, os) in [("M", [1.0, 1.1, 0.9], [1.0, 2, 3]), ("B", [5.0, 5.2, 4.8], [1.5, 2.5, 3.5])] {
            for seed in 0..<3 {
                let path = "runs/\(cell)/seed-\(seed)"
                let runDir = dir.appendingPathComponent(path)
                try FileManager.default.createDirectory(at: runDir, withIntermediateDirectories: true)
                let lines = [
                    #"{"iteration":5,"loss":{"G0":0},"seconds":0,"wall_time":0,"metrics":{"samples":10,"m":3,"m2":4,"o":0}}"#,
                    #"{"iteration":10,"loss":{"G0":0},"seconds":0,"wall_time":0,"metrics":{"samples":10,"m":\#(ms[seed]),"m2":\#(ms[seed] + 1),"o":\#(os[seed])}}"#,
                ]
                try (lines.joined(separator: "\n") + "\n").write(to: runDir.appendingPathComponent("metrics.jsonl"), atomically: true, encoding: .utf8)
                records.append(.init(cell: cell, variant: cell, seed: UInt64(seed), path: path, status: .done, seconds: 1, attempts: 1))
            }
        }
        let manifest = SweepManifest(experiment: "t", file: "t.yaml", fileSHA256: "", scale: nil, seeds: [0, 1, 2], threadsPerRun: 1, jobs: 1,
                                     commit: "abc", command: "gankit experiment run t.yaml", started: Date(), wallSeconds: 6, schedulingSeconds: 0.01,
                                     runs: records)
        try manifest.write(to: dir)
        let results = try ExperimentResults(directory: dir)
        let checks = ExperimentReport(results: results, sweepDirectory: dir, out: dir.appendingPathComponent("report")).evaluateChecks()
        #expect(checks.map(\.outcome) == [.holds, .inconclusive, .contradicted, .holds, .inconclusive, .holds, .holds, .contradicted])
        // t(0.975, 2) = 4.302653; M's m: mean 1, sd 0.1 → ± 0.248414.
        #expect(abs(checks[0].method!.halfWidth! - 4.302653 * 0.1 / 3.0.squareRoot()) < 1e-5)
        // over [5, 10]: each seed's mean of (3, m) → 2, 2.05, 1.95; its interval must clear 2 from below: it does not.
        #expect(abs(checks[4].method!.mean - 2) < 1e-12)
        let verdict = ClaimCheck.verdict(checks)
        #expect(verdict.verdict == "partly")
        #expect(ClaimCheck.verdict(Array(checks[0..<1])).verdict == "reproduced")
        #expect(ClaimCheck.verdict(Array(checks[1..<3])).verdict == "not reproduced")
    }

    /// A run still under way counts only where it has got to: its last evaluation does not stand
    /// in for iterations it has not reached, as a finished or diverged run's does.
    @Test func aRunUnderWayCountsOnlyWhereItHasGot() {
        func run(_ status: SweepManifest.Status) -> ExperimentResults.RunMetrics {
            .init(record: .init(cell: "M", variant: "M", seed: 0, path: "runs/M/seed-0", status: status, seconds: 1, attempts: 1),
                  evaluations: [(iteration: 5, values: ["m": 3]), (iteration: 10, values: ["m": 1])])
        }
        for status in [SweepManifest.Status.pending, .failed] {
            let r = run(status)
            #expect(r.value("m", at: 10)?.value == 1 && r.value("m", at: 20) == nil)
            #expect(r.mean("m", over: 5, 10) == 2 && r.mean("m", over: 15, 20) == nil && r.mean("m", over: 5, 20) == nil)
        }
        for status in [SweepManifest.Status.done, .diverged] {
            let r = run(status)
            #expect(r.value("m", at: 20)?.value == 1 && r.mean("m", over: 15, 20) == 1)
        }
    }

    /// Every experiment file of the repository runs end to end at `--scale smoke` and reports:
    /// a check of the files and the runner, not of the science.
    @Test func everyExperimentFileRunsAtSmokeScale() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let folder = root.appendingPathComponent("experiments")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(files.count >= 9)
        let dir = try makeTemporaryDirectory()
        for file in files {
            let name = String(file.dropLast(5))
            let sweep = dir.appendingPathComponent(name)
            let run = gankit(["experiment", "run", folder.appendingPathComponent(file).path, "--scale", "smoke", "--out", sweep.path])
            #expect(run.status == 0, "\(file): \(run.error)")
            let report = gankit(["experiment", "report", sweep.path, "--out", dir.appendingPathComponent("docs").path])
            #expect(report.status == 0, "\(file): \(report.error)")
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("docs/\(name).md").path), "\(file)")
        }
        // A text sweep's page shows its generators' sentences, escaped for Markdown tables.
        let text = try String(contentsOf: dir.appendingPathComponent("docs/sgan-table2.md"), encoding: .utf8)
        #expect(text.contains("## Sentences (seed 0)"))
        #expect(text.contains("| 5-S-WGAN-GP | <code>"))
    }

    @Test func sentencesAreEscapedForMarkdownTables() {
        #expect(ExperimentReport.htmlCode("a `b`| <c> *") == "<code>a&nbsp;&#96;b&#96;&#124;&nbsp;&lt;c&gt;&nbsp;&#42;</code>")
    }
}
