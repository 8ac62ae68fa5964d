import Foundation

/// Reads regular files out of a tar archive, gzip-compressed or not, in one streaming pass.
///
/// CIFAR-10 is published as `cifar-10-binary.tar.gz`; reading its members directly spares the
/// user an extraction step and a second copy on disk. Supports ustar/GNU headers (with the ustar
/// name prefix and GNU long names) and checks every header's checksum, so a corrupt archive is an
/// error naming it rather than garbage data.
public enum TarReader {
    /// The contents of the regular files of `url` whose path satisfies `wanted`, by path.
    public static func members(of url: URL, where wanted: (String) -> Bool) throws -> [String: Data] {
        let file = try GzipFile(path: url.path)
        var out: [String: Data] = [:]
        var header = [UInt8](repeating: 0, count: 512)
        var longName: String? = nil
        var offset = 0
        while true {
            let got = try header.withUnsafeMutableBytes { try file.read(into: $0.baseAddress!, count: 512) }
            if got == 0 { break }  // tolerated: archive without the two zero blocks
            guard got == 512 else { throw DataError.truncated(path: url.path, expectedBytes: offset + 512, foundBytes: offset + got) }
            if header.allSatisfy({ $0 == 0 }) { break }
            guard let size = octal(header[124..<136]), let stored = octal(header[148..<156]) else {
                throw DataError.badHeader(path: url.path, reason: "tar header at byte \(offset) has no valid size or checksum")
            }
            var sum = 0
            for (i, b) in header.enumerated() { sum += (148..<156).contains(i) ? 32 : Int(b) }
            guard sum == stored else { throw DataError.badHeader(path: url.path, reason: "tar header checksum mismatch at byte \(offset)") }
            var name = string(header[0..<100])
            if header[257..<262].elementsEqual("ustar".utf8) {
                let prefix = string(header[345..<500])
                if !prefix.isEmpty { name = prefix + "/" + name }
            }
            if let long = longName { name = long; longName = nil }
            let type = header[156]
            let padded = (size + 511) / 512 * 512
            offset += 512
            let data = try readMember(file, count: padded, offset: offset, path: url.path)
            offset += padded
            let body = data.prefix(size)
            switch type {
            case UInt8(ascii: "L"): longName = string(body[...])
            case 0, UInt8(ascii: "0"), UInt8(ascii: "7"): if wanted(name) { out[name] = Data(body) }
            default: break  // directories, links, pax headers: not data
            }
        }
        return out
    }

    /// Exactly `count` bytes of a member, read in chunks: the buffer grows with the data actually
    /// present, so a 512-byte header announcing gigabytes (up to 64 GiB in its octal field) fails
    /// as truncated instead of allocating them first (found with the `tar` fuzz harness).
    private static func readMember(_ file: borrowing GzipFile, count: Int, offset: Int, path: String) throws -> Data {
        var data = Data()
        while data.count < count {
            let start = data.count, want = min(count - start, 1 << 20)
            data.count += want
            let read = try data.withUnsafeMutableBytes { try file.read(into: $0.baseAddress! + start, count: want) }
            guard read == want else { throw DataError.truncated(path: path, expectedBytes: offset + count, foundBytes: offset + start + read) }
        }
        return data
    }

    private static func octal(_ field: ArraySlice<UInt8>) -> Int? {
        var value = 0, seen = false
        for b in field {
            if b == 0 || b == 32 { if seen { break } else { continue } }
            guard (48...55).contains(b) else { return nil }
            value = value * 8 + Int(b - 48)
            seen = true
        }
        return seen ? value : nil
    }

    private static func string<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }
}
