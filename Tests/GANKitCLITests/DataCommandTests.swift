import Foundation
import GANKitTestSupport
import Testing
@testable import GANKitCLI

/// `gankit data prepare` against a loopback server (this machine has no internet): the real
/// Fashion-MNIST files from ../shared/datasets, verified by the catalogue's SHA-256 sums.
@Suite struct DataCommandTests {
    @Test(.enabled(if: FileManager.default.fileExists(atPath: SharedDatasets.directory.appendingPathComponent("fashion-mnist").path)))
    func prepareFetchesVerifiesAndReadsADataSet() throws {
        let served = try makeTemporaryDirectory("served")
        let source = SharedDatasets.directory.appendingPathComponent("fashion-mnist")
        for name in ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"] {
            try FileManager.default.copyItem(at: source.appendingPathComponent(name), to: served.appendingPathComponent(name))
        }
        // One corrupted copy, under a path of its own.
        let bad = served.appendingPathComponent("bad")
        try FileManager.default.createDirectory(at: bad, withIntermediateDirectories: true)
        var labels = try Data(contentsOf: source.appendingPathComponent("train-labels-idx1-ubyte.gz"))
        labels[100] ^= 0xFF
        try labels.write(to: bad.appendingPathComponent("train-labels-idx1-ubyte.gz"))
        for name in ["train-images-idx3-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"] {
            try FileManager.default.copyItem(at: source.appendingPathComponent(name), to: bad.appendingPathComponent(name))
        }
        let server = try LocalHTTPServer(serving: served)
        defer { server.stop() }
        let target = try makeTemporaryDirectory("prepared").appendingPathComponent("fashion")

        var r = gankit(["data", "prepare", "fashion-mnist", "--dir", target.path, "--mirror", server.url("bad/").absoluteString])
        #expect(r.status == 1)
        #expect(r.error.contains("train-labels-idx1-ubyte.gz") && r.error.contains("SHA-256"), "\(r.error)")
        #expect(!FileManager.default.fileExists(atPath: target.appendingPathComponent("train-labels-idx1-ubyte.gz").path))

        r = gankit(["data", "prepare", "fashion-mnist", "--dir", target.path, "--mirror", server.url("").absoluteString])
        #expect(r.status == 0, "\(r.error)")
        #expect(r.output.contains("60000 training images"), "\(r.output)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: target.path).sorted().filter { $0.hasSuffix(".gz") }.count == 4)

        // Prepared again: everything verifies in place, nothing is fetched.
        server.stop()
        r = gankit(["data", "prepare", "fashion-mnist", "--dir", target.path, "--mirror", server.url("").absoluteString])
        #expect(r.status == 0, "\(r.error)")

        r = gankit(["data", "prepare", "fashion-mnist", "--dir", target.path, "--mirror", "ftp://example.org/"])
        #expect(r.status == 2 && r.error.contains("--mirror"))
        r = gankit(["data", "prepare", "imagenet"])
        #expect(r.status == 2)
    }
}

/// `blocking` must not need a thread of Swift's cooperative pool: callers may hold all of them.
///
/// The work suspends the way a download does: it is resumed from a thread that is not the
/// pool's. That thread is a plain `Thread`, not a dispatch queue: on Linux Swift's cooperative
/// pool runs on libdispatch's, so a wake-up queued on libdispatch (`Task.sleep`, or a queue's
/// `asyncAfter`) can wait for a thread of the very pool the callers hold. With `asyncAfter` the
/// test took 588 s in a suite run beside two training processes, holding every other async test
/// behind it. The limit only catches a deadlock.
@Test(.timeLimit(.minutes(5)))
func blockingCallsFromEveryCooperativeThreadAtOnceFinish() async throws {
    let total = try await withThrowingTaskGroup(of: Int.self) { group in
        for k in 0..<64 {
            group.addTask {
                try blocking {
                    await Task.yield()
                    await withCheckedContinuation { (resumed: CheckedContinuation<Void, Never>) in
                        Thread { usleep(1000); resumed.resume() }.start()
                    }
                    return k
                }
            }
        }
        return try await group.reduce(0, +)
    }
    #expect(total == 64 * 63 / 2)
}
