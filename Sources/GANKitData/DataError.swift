import Foundation

/// Everything that can go wrong while reading, generating or downloading data, as a value.
///
/// Data comes from outside the program (files, options, the network), so a problem with it is
/// never a crash: each case names the file, URL or option involved and what was wrong, so that
/// the message alone tells the user what to fix.
public enum DataError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A file could not be opened or read at all.
    case unreadable(path: String, reason: String)
    /// A file's header does not start with the expected magic number.
    case badMagic(path: String, expected: UInt32, found: UInt32)
    /// A header field (dimension, count) is not what the format or the caller requires.
    case badHeader(path: String, reason: String)
    /// A file ends before the payload its header announces.
    case truncated(path: String, expectedBytes: Int, foundBytes: Int)
    /// A file holds bytes after the payload its header announces.
    case trailingData(path: String, expectedBytes: Int)
    /// A label is outside the classes of the data set.
    case badLabel(path: String, index: Int, label: Int, classCount: Int)
    /// Images and labels files disagree on the number of items.
    case countMismatch(images: String, imageCount: Int, labels: String, labelCount: Int)
    /// An image file could not be decoded.
    case corruptImage(path: String, reason: String)
    /// A text file is not valid UTF-8 from byte `offset` on.
    case corruptText(path: String, offset: Int)
    /// A text corpus holds no sentence.
    case emptyCorpus(path: String)
    /// A folder holds no file of a supported kind.
    case emptyFolder(path: String, extensions: [String])
    /// An image has another channel count than the data set's (grey among colour images).
    case mixedChannels(path: String, channels: Int, expected: Int)
    /// Reading stopped at the user's request (Ctrl-C) before the data set was complete.
    case interrupted(path: String)
    /// A file could not be written.
    case unwritable(path: String, reason: String)
    /// An option has a value outside its allowed range.
    case invalidOption(name: String, value: String, allowed: String)
    /// The host could not be reached (no network, refused connection, DNS failure, timeout).
    case networkUnreachable(url: String, reason: String)
    /// The server answered with an HTTP status that is not a success.
    case httpStatus(url: String, status: Int)
    /// A downloaded or cached file does not have the expected size.
    case sizeMismatch(path: String, expected: Int64, found: Int64)
    /// A downloaded or cached file does not have the expected SHA-256.
    case checksumMismatch(path: String, expected: String, found: String)

    public var description: String {
        switch self {
        case let .unreadable(path, reason): "cannot read \(path): \(reason)"
        case let .badMagic(path, expected, found):
            "\(path): magic number 0x\(Self.hex(found)), expected 0x\(Self.hex(expected)) (wrong file kind or not an IDX file)"
        case let .badHeader(path, reason): "\(path): bad header: \(reason)"
        case let .truncated(path, expected, found): "\(path): truncated, header announces \(expected) bytes but the file holds \(found)"
        case let .trailingData(path, expected): "\(path): unexpected data after the \(expected) bytes the header announces"
        case let .badLabel(path, index, label, classCount): "\(path): label \(label) of item \(index) is not in 0..<\(classCount)"
        case let .countMismatch(images, imageCount, labels, labelCount):
            "\(images) holds \(imageCount) images but \(labels) holds \(labelCount) labels"
        case let .corruptImage(path, reason): "\(path): corrupt or unsupported image: \(reason)"
        case let .corruptText(path, offset): "\(path): not valid UTF-8 at byte offset \(offset)"
        case let .emptyCorpus(path): "\(path): no sentence found (a corpus needs at least one non-empty line)"
        case let .emptyFolder(path, extensions): "folder \(path) holds no image file (\(extensions.joined(separator: ", ")))"
        case let .mixedChannels(path, channels, expected):
            "\(path): \(channels == 1 ? "grey" : "\(channels)-channel") image among \(expected == 1 ? "grey" : "\(expected)-channel") ones "
                + "(choose the channels with --channels, or leave such files out with --skip-bad-images)"
        case let .interrupted(path): "reading \(path) was interrupted"
        case let .unwritable(path, reason): "cannot write \(path): \(reason)"
        case let .invalidOption(name, value, allowed): "option \(name) = \(value) is invalid; allowed: \(allowed)"
        case let .networkUnreachable(url, reason): "cannot reach \(url): \(reason) (is the network available?)"
        case let .httpStatus(url, status): "\(url): server answered HTTP \(status)"
        case let .sizeMismatch(path, expected, found): "\(path): size \(found) bytes, expected \(expected)"
        case let .checksumMismatch(path, expected, found): "\(path): SHA-256 \(found), expected \(expected) (corrupt or wrong file)"
        }
    }

    private static func hex(_ v: UInt32) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: max(0, 8 - s.count)) + s
    }
}
