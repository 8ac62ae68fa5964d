import Foundation
import GANKitData
import GANKitTestSupport
import Testing

private struct Fixture {
    let served: URL, target: URL, payload: Data, server: LocalHTTPServer
    func cleanUp() {
        server.stop()
        try? FileManager.default.removeItem(at: served.deletingLastPathComponent())
    }
}

private func makeFixture(_ label: String = #function) throws -> Fixture {
    let base = try TestFiles.scratch(label)
    let served = base.appendingPathComponent("served"), target = base.appendingPathComponent("target")
    try FileManager.default.createDirectory(at: served, withIntermediateDirectories: true)
    let payload = Data((0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 8) })
    try payload.write(to: served.appendingPathComponent("payload.bin"))
    var corrupted = payload
    corrupted[500] ^= 0xFF
    try corrupted.write(to: served.appendingPathComponent("corrupted.bin"))
    return Fixture(served: served, target: target, payload: payload, server: try LocalHTTPServer(serving: served))
}

@Test func downloadedFileIsVerifiedAndStoredUnderItsName() async throws {
    let f = try makeFixture()
    defer { f.cleanUp() }
    let remote = RemoteFile(name: "payload.bin", urls: [f.server.url("payload.bin")], size: Int64(f.payload.count),
                            sha256: SHA256.hex(of: f.payload))
    let url = try await Downloader(timeout: 10).fetch(remote, into: f.target)
    #expect(url.lastPathComponent == "payload.bin")
    #expect(try Data(contentsOf: url) == f.payload)
    #expect(!FileManager.default.fileExists(atPath: url.path + ".part"))
    // A second fetch finds the verified file and does not download again.
    _ = try await Downloader(timeout: 10).fetch(remote, into: f.target)
    let log = try String(contentsOf: f.served.appendingPathComponent("requests.log"), encoding: .utf8)
    #expect(log.split(separator: "\n").count == 1)
}

@Test func interruptedDownloadResumesFromThePartWithARangeRequest() async throws {
    let f = try makeFixture()
    defer { f.cleanUp() }
    try FileManager.default.createDirectory(at: f.target, withIntermediateDirectories: true)
    try f.payload.prefix(30_000).write(to: f.target.appendingPathComponent("payload.bin.part"))
    let remote = RemoteFile(name: "payload.bin", urls: [f.server.url("payload.bin")], size: Int64(f.payload.count),
                            sha256: SHA256.hex(of: f.payload))
    let url = try await Downloader(timeout: 10).fetch(remote, into: f.target)
    #expect(try Data(contentsOf: url) == f.payload)
    let log = try String(contentsOf: f.served.appendingPathComponent("requests.log"), encoding: .utf8)
    #expect(log.contains("/payload.bin bytes=30000-"))
}

@Test func checksumMismatchIsAnErrorAndNothingIsKept() async throws {
    let f = try makeFixture()
    defer { f.cleanUp() }
    let remote = RemoteFile(name: "corrupted.bin", urls: [f.server.url("corrupted.bin")], size: Int64(f.payload.count),
                            sha256: SHA256.hex(of: f.payload))
    do {
        _ = try await Downloader(timeout: 10).fetch(remote, into: f.target)
        Issue.record("corrupted download accepted")
    } catch let error as DataError {
        guard case .checksumMismatch(let path, let expected, _) = error else { Issue.record("\(error)"); return }
        #expect(path.hasSuffix("corrupted.bin.part") && expected == SHA256.hex(of: f.payload))
    }
    #expect(!FileManager.default.fileExists(atPath: f.target.appendingPathComponent("corrupted.bin").path))
    #expect(!FileManager.default.fileExists(atPath: f.target.appendingPathComponent("corrupted.bin.part").path))
}

@Test func missingFileIsAnHTTPStatusError() async throws {
    let f = try makeFixture()
    defer { f.cleanUp() }
    let remote = RemoteFile(name: "nothing.bin", urls: [f.server.url("nothing.bin")])
    await #expect(throws: DataError.httpStatus(url: f.server.url("nothing.bin").absoluteString, status: 404)) {
        try await Downloader(timeout: 10).fetch(remote, into: f.target)
    }
}

@Test func unreachableHostIsAClearNetworkError() async throws {
    let dir = try TestFiles.scratch()
    defer { try? FileManager.default.removeItem(at: dir) }
    // Port 1 on the loopback interface: nothing listens, the connection is refused at once.
    let remote = RemoteFile(name: "x.bin", urls: [URL(string: "http://127.0.0.1:1/x.bin")!], size: 10)
    do {
        _ = try await Downloader(timeout: 5).fetch(remote, into: dir)
        Issue.record("download from a closed port succeeded")
    } catch let error as DataError {
        guard case .networkUnreachable(let url, _) = error else { Issue.record("\(error)"); return }
        #expect(url == "http://127.0.0.1:1/x.bin")
        #expect(error.description.contains("cannot reach"))
    }
}

@Test func serverIgnoringTheRangeRestartsThePartFromScratch() async throws {
    let f = try makeFixture()
    defer { f.cleanUp() }
    try FileManager.default.createDirectory(at: f.target, withIntermediateDirectories: true)
    // A stale part whose bytes are wrong: appending to it would corrupt the file.
    try Data(repeating: 0xEE, count: 30_000).write(to: f.target.appendingPathComponent("payload.bin.part"))
    let remote = RemoteFile(name: "payload.bin", urls: [f.server.url("norange/payload.bin")], size: Int64(f.payload.count),
                            sha256: SHA256.hex(of: f.payload))
    let url = try await Downloader(timeout: 10).fetch(remote, into: f.target)
    #expect(try Data(contentsOf: url) == f.payload)
}

@Test func laterMirrorIsTriedWhenTheFirstFails() async throws {
    let f = try makeFixture()
    defer { f.cleanUp() }
    let remote = RemoteFile(name: "payload.bin", urls: [URL(string: "http://127.0.0.1:1/payload.bin")!, f.server.url("payload.bin")],
                            size: Int64(f.payload.count), sha256: SHA256.hex(of: f.payload))
    let url = try await Downloader(timeout: 10).fetch(remote, into: f.target)
    #expect(try Data(contentsOf: url) == f.payload)
}
