import Foundation
import GANKitData
import Testing

/// Runs the system's `tar` with `arguments` (to build fixture archives).
func runTar(_ arguments: [String]) throws {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["tar"] + arguments
    try p.run()
    p.waitUntilExit()
    #expect(p.terminationStatus == 0, "tar \(arguments) failed")
}

@Test func tarMembersAreReadFromPlainAndGzippedArchivesIncludingLongNames() throws {
    let dir = try TestFiles.scratch()
    defer { try? FileManager.default.removeItem(at: dir) }
    let folder = dir.appendingPathComponent("content")
    let deep = folder.appendingPathComponent(String(repeating: "long-folder-name-", count: 8))
    try FileManager.default.createDirectory(at: deep, withIntermediateDirectories: true)
    try Data("hello".utf8).write(to: folder.appendingPathComponent("a.txt"))
    let big = Data((0..<5000).map { UInt8(truncatingIfNeeded: $0) })
    try big.write(to: deep.appendingPathComponent("b.bin"))
    for (flags, name) in [("cf", "x.tar"), ("czf", "x.tar.gz")] {
        let archive = dir.appendingPathComponent(name)
        try runTar([flags, archive.path, "-C", dir.path, "--format=gnu", "content"])
        let all = try TarReader.members(of: archive) { _ in true }
        #expect(all["content/a.txt"] == Data("hello".utf8))
        #expect(all["content/" + deep.lastPathComponent + "/b.bin"] == big)
        #expect(all.count == 2)
        #expect(try TarReader.members(of: archive) { $0.hasSuffix(".txt") }.count == 1)
    }
}

@Test func corruptTarHeaderIsAnError() throws {
    let dir = try TestFiles.scratch()
    defer { try? FileManager.default.removeItem(at: dir) }
    try Data("hello".utf8).write(to: dir.appendingPathComponent("a.txt"))
    let archive = dir.appendingPathComponent("x.tar")
    try runTar(["cf", archive.path, "-C", dir.path, "a.txt"])
    var bytes = try Data(contentsOf: archive)
    bytes[10] ^= 0x55
    try bytes.write(to: archive)
    #expect(throws: DataError.self) { try TarReader.members(of: archive) { _ in true } }
}
