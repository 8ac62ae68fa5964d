import Foundation
import GANKitData
import Testing

/// Regressions found by fuzzing `PackedImageFile.read` (`scripts/fuzz packed-image`): a packed
/// image file from disk is outside input, so every malformed header must be a thrown `DataError`.
@Suite struct PackedImageFileTests {
    /// A packed file: the magic, the given 8 length bytes, `json`, zero padding to the 4096-byte
    /// header, then `payload` bytes.
    static func file(lengthBytes: [UInt8], json: String = "", payload: Int = 0) throws -> URL {
        var bytes = Array("GKIMAGE1".utf8) + lengthBytes + Array(json.utf8)
        bytes += [UInt8](repeating: 0, count: PackedImageFile.headerSize - bytes.count + payload)
        let url = try TestFiles.scratch().appendingPathComponent("images.gkimages")
        try Data(bytes).write(to: url)
        return url
    }

    static func lengthBytes(_ json: String) -> [UInt8] { withUnsafeBytes(of: UInt64(json.utf8.count).littleEndian) { Array($0) } }

    /// The fuzzer's input: a JSON length of 0xFFFFFF0000000564, past Int.max, trapped when
    /// converted to Int.
    @Test func headerLengthPastIntMaxIsRefused() throws {
        let url = try Self.file(lengthBytes: [0x64, 0x05, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF])
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        #expect(throws: DataError.badHeader(path: url.path, reason: "header length 18446742974197925220 out of range")) {
            try PackedImageFile.read(url)
        }
    }

    /// Image sizes whose product overflows Int trapped instead of being refused.
    @Test(arguments: [
        #"{"version":1,"count":4611686018427387904,"channels":3,"height":2,"width":2,"fingerprint":"f","source":"s","skipped":0}"#,
        #"{"version":1,"count":0,"channels":3,"height":4294967296,"width":4294967296,"fingerprint":"f","source":"s","skipped":0}"#,
    ])
    func imageSizesPastIntMaxAreRefused(json: String) throws {
        let url = try Self.file(lengthBytes: Self.lengthBytes(json), json: json)
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        #expect {
            try PackedImageFile.read(url)
        } throws: { error in
            guard case DataError.badHeader(_, let reason) = error else { return false }
            return reason.hasSuffix("is out of range")
        }
    }

    @Test func aWellFormedFileStillReads() throws {
        let json = #"{"version":1,"count":2,"channels":1,"height":2,"width":3,"fingerprint":"f","source":"s","skipped":0}"#
        let url = try Self.file(lengthBytes: Self.lengthBytes(json), json: json, payload: 12)
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let (images, header) = try PackedImageFile.read(url)
        #expect(images.count == 2 && header.width == 3)
    }
}
