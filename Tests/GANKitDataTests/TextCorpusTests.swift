import Foundation
@testable import GANKitData
import GANKitTestSupport
import Testing

@Suite struct TextCorpusTests {
    func write(_ files: [String: [UInt8]]) throws -> URL {
        let dir = try makeTemporaryDirectory("corpus")
        for (name, bytes) in files {
            let url = dir.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url)
        }
        return dir
    }

    @Test func linesBecomeTruncatedAndPaddedSentencesWithEveryTenthHeldOut() throws {
        let lines = (0..<20).map { "line \($0) aab" }.joined(separator: "\n") + "\n\n   \n"
        let dir = try write(["a.txt": Array(lines.utf8)])
        let corpus = try TextCorpus.read(dir, layout: .lines, sequenceLength: 8)
        #expect(corpus.trainingCount == 18 && corpus.heldOutCount == 2)
        // Most frequent first; ties by code point: ' ' (40) and 'a' (40) before 'e', 'i', 'l', 'n' (20) …
        #expect(Array(corpus.vocabulary.characters.prefix(2)) == [" ", "a"])
        #expect(corpus.vocabulary.decode(corpus.training[0..<8]) == "line 0 a")
        // "line 9 aab" is the 10th sentence: held out. "9" occurs in held-out sentences only, so
        // it is outside the (training) vocabulary.
        #expect(corpus.vocabulary.decode(corpus.heldOut[0..<8]) == "line \u{FFFD} a")
        let short = try TextCorpus.read(dir, layout: .lines, sequenceLength: 16)
        #expect(Array(short.training[10..<16]) == [UInt16](repeating: CharacterVocabulary.padding, count: 6))
        #expect(short.vocabulary.decode(short.training[0..<16]) == "line 0 aab")
    }

    @Test func aSmallVocabularyMapsRareCharactersToUnknown() throws {
        let dir = try write(["a.txt": Array("aaab\naac\n".utf8)])
        let corpus = try TextCorpus.read(dir, layout: .lines, sequenceLength: 4, vocabularyLimit: 3, heldOutEvery: 100)
        #expect(corpus.vocabulary.count == 3)
        #expect(corpus.vocabulary.decode(corpus.training[0..<4]) == "aaa\u{FFFD}")
    }

    @Test func fortuneRecordsAreCollapsedAndSplitIntoSentences() throws {
        let text = "Hello   there.  How are\n\tyou?\n%\nA second\nfortune\n%\n"
        let dir = try write(["cookie": Array(text.utf8), "cookie.dat": [0xFF, 0x00, 0x12], ".hidden": [0xFF]])
        let corpus = try TextCorpus.read(dir, layout: .fortune, sequenceLength: 20, heldOutEvery: 100)
        let sentences = (0..<corpus.trainingCount).map { corpus.vocabulary.decode(corpus.training[($0 * 20)..<(($0 + 1) * 20)]) }
        #expect(sentences == ["Hello there.", "How are you?", "A second fortune"])
    }

    @Test func invalidUTF8IsRefusedNamingFileAndOffset() throws {
        let dir = try write(["ok.txt": Array("fine\n".utf8), "bad.txt": Array("ab".utf8) + [0xC3, 0x28] + Array("cd".utf8)])
        #expect(throws: DataError.corruptText(path: dir.appendingPathComponent("bad.txt").path, offset: 2)) {
            try TextCorpus.read(dir, layout: .lines, sequenceLength: 4)
        }
        #expect(TextCorpus.firstInvalidUTF8Offset(Data([0x61, 0xE2, 0x82])) == 1)  // truncated at the end
        #expect(TextCorpus.firstInvalidUTF8Offset(Data([0x61, 0xED, 0xA0, 0x80])) == 1)  // a surrogate
        #expect(TextCorpus.firstInvalidUTF8Offset(Data("é€😀".utf8)) == 9)
    }

    @Test func anEmptyCorpusIsRefused() throws {
        let dir = try write(["a.txt": Array("\n  \n".utf8)])
        #expect(throws: DataError.emptyCorpus(path: dir.path)) { try TextCorpus.read(dir, layout: .lines, sequenceLength: 4) }
        #expect(throws: DataError.self) { try TextCorpus.read(dir.appendingPathComponent("missing"), layout: .lines, sequenceLength: 4) }
    }
}
