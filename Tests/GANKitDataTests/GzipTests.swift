import Foundation
import GANKitData
import Testing

@Test func gzipWrittenThenReadGivesTheSameBytesAndIsCompressed() throws {
    let dir = try TestFiles.scratch()
    defer { try? FileManager.default.removeItem(at: dir) }
    let text = (0..<5000).map { "run,\($0),\(Double($0) * 0.25)\n" }.joined()
    let url = dir.appendingPathComponent("table.csv.gz")
    try Gzip.write(Data(text.utf8), to: url)
    let stored = try Data(contentsOf: url)
    #expect(stored.prefix(2) == Data([0x1f, 0x8b]))
    #expect(stored.count * 3 < text.utf8.count)
    #expect(try Gzip.read(contentsOf: url) == Data(text.utf8))
    // No timestamp in the header: writing again gives identical bytes, and no partial file is left.
    try Gzip.write(Data(text.utf8), to: url)
    #expect(try Data(contentsOf: url) == stored)
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["table.csv.gz"])
}

@Test func gzipOfNothingAndIntoAMissingFolder() throws {
    let dir = try TestFiles.scratch()
    defer { try? FileManager.default.removeItem(at: dir) }
    let empty = dir.appendingPathComponent("empty.gz")
    try Gzip.write(Data(), to: empty)
    #expect(try Gzip.read(contentsOf: empty).isEmpty)
    #expect(throws: DataError.self) { try Gzip.write(Data([1, 2, 3]), to: dir.appendingPathComponent("missing/x.gz")) }
}
