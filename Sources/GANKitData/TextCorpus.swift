import Foundation

/// The characters a character-level GAN writes: symbol 0 pads a sentence to the sequence length
/// (shown as a backtick, as in WGAN-GP's language model), symbol 1 stands for any character
/// outside the vocabulary, and symbols 2… are the corpus's most frequent characters.
public struct CharacterVocabulary: Codable, Sendable, Equatable {
    public static let padding: UInt16 = 0
    public static let unknown: UInt16 = 1
    /// How the padding and unknown symbols print.
    public static let paddingText = "`", unknownText = "\u{FFFD}"

    /// The characters of symbols 2…, most frequent first.
    public let characters: [String]
    private let index: [Unicode.Scalar: UInt16]

    /// Symbols in all, padding and unknown included.
    public var count: Int { characters.count + 2 }

    public init(characters: [String]) {
        self.characters = characters
        var index: [Unicode.Scalar: UInt16] = [:]
        for (i, c) in characters.enumerated() { if let s = c.unicodeScalars.first { index[s] = UInt16(i + 2) } }
        self.index = index
    }

    private enum CodingKeys: String, CodingKey { case characters }
    public init(from decoder: Decoder) throws {
        self.init(characters: try decoder.container(keyedBy: CodingKeys.self).decode([String].self, forKey: .characters))
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(characters, forKey: .characters)
    }

    /// The `limit` most frequent scalars of `sentences` (ties by code point, so the vocabulary does
    /// not depend on hashing), with room for the padding and unknown symbols.
    public static func mostFrequent(in sentences: [[Unicode.Scalar]], limit: Int) -> CharacterVocabulary {
        var counts: [Unicode.Scalar: Int] = [:]
        for sentence in sentences { for s in sentence { counts[s, default: 0] += 1 } }
        let ranked = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key.value < $1.key.value }
        return CharacterVocabulary(characters: ranked.prefix(max(0, limit - 2)).map { String(Character($0.key)) })
    }

    public func symbol(of scalar: Unicode.Scalar) -> UInt16 { index[scalar] ?? Self.unknown }

    /// `sentence` as `length` symbols: truncated, then padded.
    public func encode(_ sentence: [Unicode.Scalar], length: Int) -> [UInt16] {
        var out = sentence.prefix(length).map(symbol(of:))
        out += [UInt16](repeating: Self.padding, count: length - out.count)
        return out
    }

    public func text(of symbol: UInt16) -> String {
        switch symbol {
        case Self.padding: Self.paddingText
        case Self.unknown: Self.unknownText
        default: Int(symbol) - 2 < characters.count ? characters[Int(symbol) - 2] : Self.unknownText
        }
    }

    /// The first `count` sentences of `symbols` (sentences of `length` laid end to end), as text.
    public func sentences(_ symbols: [UInt16], length: Int, count: Int) -> [String] {
        (0..<min(count, symbols.count / max(length, 1))).map { decode(symbols[($0 * length)..<(($0 + 1) * length)]) }
    }

    /// The symbols as text, trailing padding dropped.
    public func decode(_ symbols: some Collection<UInt16>) -> String {
        var trimmed = Array(symbols)
        while trimmed.last == Self.padding { trimmed.removeLast() }
        return trimmed.map(text(of:)).joined()
    }
}

/// A text corpus as fixed-length character sequences, split into training and held-out sentences.
///
/// `lines`: UTF-8 files with one sentence per line (the One Billion Word Benchmark's format).
/// `fortune`: BSD fortune files (records separated by `%` lines), each record's whitespace
/// collapsed and split into sentences after `.`, `!` or `?`; this is how Debian's `fortunes`
/// package, the default corpus, is read.
public struct TextCorpus: Sendable {
    public enum Layout: String, Codable, Sendable, CaseIterable { case lines, fortune }

    public let vocabulary: CharacterVocabulary
    public let sequenceLength: Int
    /// Training sentences, `sequenceLength` symbols each, concatenated.
    public let training: [UInt16]
    /// Held-out sentences (every `heldOutEvery`-th sentence), the same layout.
    public let heldOut: [UInt16]

    public var trainingCount: Int { training.count / sequenceLength }
    public var heldOutCount: Int { heldOut.count / sequenceLength }

    /// Reads every regular file under `path` (or `path` itself), in path order. Hidden files are
    /// skipped, and with the `fortune` layout also fortune's binary `.dat` indexes and its `.u8`
    /// links.
    public static func read(_ path: URL, layout: Layout, sequenceLength: Int, vocabularyLimit: Int = 2048,
                            heldOutEvery: Int = 10) throws(DataError) -> TextCorpus {
        guard sequenceLength >= 1 else { throw .invalidOption(name: "sequence-length", value: "\(sequenceLength)", allowed: "at least 1") }
        guard vocabularyLimit >= 3 else { throw .invalidOption(name: "vocabulary", value: "\(vocabularyLimit)", allowed: "at least 3") }
        var sentences: [[Unicode.Scalar]] = []
        for file in try files(under: path, layout: layout) {
            let text = try decodeUTF8(file)
            switch layout {
            case .lines:
                for line in text.split(whereSeparator: \.isNewline) where !line.allSatisfy(\.isWhitespace) {
                    sentences.append(Array(line.unicodeScalars))
                }
            case .fortune:
                for record in text.components(separatedBy: "\n%\n") { sentences += Self.sentences(ofRecord: record) }
            }
        }
        guard !sentences.isEmpty else {
            throw .emptyCorpus(path: path.path)
        }
        var train: [[Unicode.Scalar]] = [], held: [[Unicode.Scalar]] = []
        for (i, s) in sentences.enumerated() {
            if i % heldOutEvery == heldOutEvery - 1 { held.append(s) } else { train.append(s) }
        }
        let vocabulary = CharacterVocabulary.mostFrequent(in: train, limit: vocabularyLimit)
        return TextCorpus(vocabulary: vocabulary, sequenceLength: sequenceLength,
                          training: train.flatMap { vocabulary.encode($0, length: sequenceLength) },
                          heldOut: held.flatMap { vocabulary.encode($0, length: sequenceLength) })
    }

    public init(vocabulary: CharacterVocabulary, sequenceLength: Int, training: [UInt16], heldOut: [UInt16]) {
        self.vocabulary = vocabulary
        self.sequenceLength = sequenceLength
        self.training = training
        self.heldOut = heldOut
    }

    /// A fortune record's sentences: whitespace collapsed, split after `.`, `!` or `?` + space.
    static func sentences(ofRecord record: String) -> [[Unicode.Scalar]] {
        let words = record.split(whereSeparator: { $0.isWhitespace }).filter { $0 != "%" }
        guard !words.isEmpty else { return [] }
        var out: [[Unicode.Scalar]] = []
        var current: [Substring] = []
        for word in words {
            current.append(word)
            if let last = word.last, ".!?".contains(last) {
                out.append(Array(current.joined(separator: " ").unicodeScalars))
                current = []
            }
        }
        if !current.isEmpty { out.append(Array(current.joined(separator: " ").unicodeScalars)) }
        return out
    }

    /// The files a corpus at `path` is read from, in reading order.
    public static func files(under path: URL, layout: Layout) throws(DataError) -> [URL] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path.path, isDirectory: &isDirectory) else {
            throw .unreadable(path: path.path, reason: "no such file or directory")
        }
        guard isDirectory.boolValue else { return [path] }
        guard let enumerator = FileManager.default.enumerator(at: path, includingPropertiesForKeys: [.isRegularFileKey, .isSymbolicLinkKey],
                                                              options: [.skipsHiddenFiles]) else {
            throw .unreadable(path: path.path, reason: "cannot list the directory")
        }
        var files: [URL] = []
        for case let url as URL in enumerator {
            let values = try? url.resourceValues(forKeys: [.isRegularFileKey, .isSymbolicLinkKey])
            guard values?.isRegularFile == true, values?.isSymbolicLink != true else { continue }
            if layout == .fortune, ["dat", "u8"].contains(url.pathExtension) { continue }
            files.append(url)
        }
        return files.sorted { $0.path < $1.path }
    }

    /// The file's text; invalid UTF-8 is refused naming the byte offset.
    static func decodeUTF8(_ url: URL) throws(DataError) -> String {
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw .unreadable(path: url.path, reason: error.localizedDescription) }
        if let text = String(validating: data, as: UTF8.self) { return text }
        throw .corruptText(path: url.path, offset: firstInvalidUTF8Offset(data))
    }

    /// The offset of the first byte that does not start or continue a valid UTF-8 sequence.
    static func firstInvalidUTF8Offset(_ data: Data) -> Int {
        let bytes = [UInt8](data)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            let length = b < 0x80 ? 1 : b >> 5 == 0b110 && b >= 0xC2 ? 2 : b >> 4 == 0b1110 ? 3 : b >> 3 == 0b11110 && b <= 0xF4 ? 4 : 0
            guard length > 0, i + length <= bytes.count else { return i }
            for j in 1..<length where bytes[i + j] >> 6 != 0b10 { return i }
            if length > 1, String(validating: bytes[i..<(i + length)], as: UTF8.self) == nil { return i }
            i += length
        }
        return bytes.count
    }
}
