import Foundation

/// The event files of a run directory as a whole: on resume, the events a run wrote after its
/// last checkpoint are dropped, because the resumed run writes those iterations again and
/// TensorBoard would show both.
public enum TensorBoardEventFiles {
    /// Rewrites every `events.out.tfevents.*` file in `directory` without the events whose step
    /// is greater than `step`, and without a torn record at the end (a process killed while
    /// writing). Returns how many events were dropped. Files are replaced atomically.
    @discardableResult
    public static func dropEvents(after step: Int, in directory: URL) throws -> Int {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter { $0.hasPrefix("events.out.tfevents.") }
        var dropped = 0
        for name in names.sorted() {
            let url = directory.appendingPathComponent(name)
            let bytes = [UInt8](try Data(contentsOf: url))
            var kept: [UInt8] = []
            var offset = 0, changed = false
            while let (record, next) = Self.record(in: bytes, at: offset) {
                if let s = eventStep(record), s > step {
                    dropped += 1
                    changed = true
                } else {
                    kept += bytes[offset..<next]
                }
                offset = next
            }
            if offset != bytes.count { changed = true }  // a torn or corrupt tail
            if changed { try Data(kept).write(to: url, options: .atomic) }
        }
        return dropped
    }

    /// The record starting at `offset` and the offset after it, or nil at the end or where the
    /// framing or a checksum does not hold.
    static func record(in bytes: [UInt8], at offset: Int) -> ([UInt8], Int)? {
        guard offset + 12 <= bytes.count else { return nil }
        let header = Array(bytes[offset..<(offset + 8)])
        let length = header.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard CRC32C.masked(header) == le32(bytes, offset + 8), length <= UInt64(bytes.count) else { return nil }
        let start = offset + 12, end = start + Int(length)
        guard end + 4 <= bytes.count else { return nil }
        let data = Array(bytes[start..<end])
        guard CRC32C.masked(data) == le32(bytes, end) else { return nil }
        return (data, end + 4)
    }

    private static func le32(_ b: [UInt8], _ i: Int) -> UInt32 {
        UInt32(b[i]) | UInt32(b[i + 1]) << 8 | UInt32(b[i + 2]) << 16 | UInt32(b[i + 3]) << 24
    }

    /// `Event.step` (field 2, varint), or nil when the event has none (the file-version record).
    static func eventStep(_ event: [UInt8]) -> Int? {
        var i = 0
        func varint() -> UInt64? {
            var value: UInt64 = 0, shift: UInt64 = 0
            while i < event.count, shift < 64 {
                let b = event[i]
                i += 1
                value |= UInt64(b & 0x7F) << shift
                if b & 0x80 == 0 { return value }
                shift += 7
            }
            return nil
        }
        while i < event.count {
            guard let key = varint() else { return nil }
            let field = key >> 3
            switch key & 7 {
            case 0:
                guard let v = varint() else { return nil }
                if field == 2 { return Int(Int64(bitPattern: v)) }
            case 1: i += 8
            case 2:
                guard let n = varint() else { return nil }
                i += Int(n)
            case 5: i += 4
            default: return nil
            }
        }
        return nil
    }
}
