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

/// A 512-byte ustar header announcing an 8 GiB member (0o77777777777 bytes) followed by 10 bytes:
/// the reader allocated the whole member before reading it (found with the `tar` fuzz harness).
/// It now reads in chunks and reports the archive as truncated.
@Test func aMemberLargerThanTheArchiveIsTruncatedNotAllocated() throws {
    var header = [UInt8](repeating: 0, count: 512)
    func put(_ text: String, at offset: Int) { for (i, b) in text.utf8.enumerated() { header[offset + i] = b } }
    put("big.bin", at: 0)
    put("0000644", at: 100)
    put("77777777777", at: 124)  // size
    put("        ", at: 148)     // checksum, counted as spaces
    header[156] = UInt8(ascii: "0")
    put("ustar", at: 257)
    put("00", at: 263)
    put(String(format: "%06o", header.reduce(0) { $0 + Int($1) }) + "\0 ", at: 148)
    let dir = try TestFiles.scratch()
    defer { try? FileManager.default.removeItem(at: dir) }
    let archive = dir.appendingPathComponent("big.tar")
    try Data(header + Array("xxxxxxxxxx".utf8)).write(to: archive)
    let size = 0o77777777777, padded = (size + 511) / 512 * 512
    #expect(throws: DataError.truncated(path: archive.path, expectedBytes: 512 + padded, foundBytes: 522)) {
        try TarReader.members(of: archive) { _ in true }
    }
}
