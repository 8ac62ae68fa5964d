import Foundation
import GANKitData
import Testing

@Test(arguments: [
    ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
    ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
     "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
])
func sha256MatchesTheFIPSTestVectors(message: String, digest: String) {
    #expect(SHA256.hex(of: Data(message.utf8)) == digest)
}

@Test func sha256OfAMillionAsMatchesTheFIPSVector() {
    var h = SHA256()
    let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 1000)
    for _ in 0..<1000 { h.update(chunk) }
    #expect(h.hexDigest() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
}

@Test func sha256IsTheSameWhateverTheChunking() {
    let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
    let whole = SHA256.hex(of: Data(bytes))
    for step in [1, 3, 63, 64, 65, 200] {
        var h = SHA256()
        var i = 0
        while i < bytes.count { h.update(Array(bytes[i..<min(bytes.count, i + step)])); i += step }
        #expect(h.hexDigest() == whole)
    }
}

@Test func sha256OfAFileMatchesSha256sum() throws {
    let dir = try TestFiles.scratch()
    defer { try? FileManager.default.removeItem(at: dir) }
    let url = dir.appendingPathComponent("abc.txt")
    try Data("abc".utf8).write(to: url)
    #expect(try SHA256.hex(ofFileAt: url) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(throws: DataError.self) { try SHA256.hex(ofFileAt: dir.appendingPathComponent("missing")) }
}
