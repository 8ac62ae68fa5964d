import Testing
@testable import GANKitSafetensors

private func parse(_ text: String) throws(HeaderJSON.SyntaxError) -> HeaderJSON {
    let result = Array(text.utf8).withUnsafeBytes { raw in
        Result<HeaderJSON, HeaderJSON.SyntaxError> { () throws(HeaderJSON.SyntaxError) in try HeaderJSON.parse(raw) }
    }
    return try result.get()
}

@Test func objectsKeepMembersInFileOrderIncludingDuplicates() throws {
    #expect(try parse(#" {"b": 1, "a": [true, false, null], "b": "x"} "#) == .object([
        .init(key: "b", value: .number("1")),
        .init(key: "a", value: .array([.bool(true), .bool(false), .null])),
        .init(key: "b", value: .string("x")),
    ]))
}

@Test func numbersKeepTheirTextAndOnlyIntegersThatFitAreIntegers() throws {
    #expect(try parse("-12").integer == -12)
    #expect(try parse("0").integer == 0)
    #expect(try parse("1.0").integer == nil)
    #expect(try parse("1e3").integer == nil)
    #expect(try parse("-2.5E-3") == .number("-2.5E-3"))
    #expect(try parse("99999999999999999999").integer == nil)
    #expect(HeaderJSON.string("7").integer == nil)
}

@Test func stringEscapesDecodeIncludingSurrogatePairs() throws {
    #expect(try parse(#""a\"b\\c\/d\n\t\b\f\r\u00e9\ud83d\ude00""#) == .string("a\"b\\c/d\n\t\u{08}\u{0C}\r\u{E9}😀"))
}

@Test(arguments: [
    ("", 0), ("{", 1), ("{\"a\" 1}", 5), ("[1,]", 3), ("01", 1), ("1.", 2), ("1e", 2), ("-", 1), ("tru", 3), ("nul", 3),
    ("\"abc", 4), ("\"\\x\"", 3), ("\"\\u12g4\"", 5), ("\"\\ud800\"", 7), ("\"\\udc00\"", 7), ("\"a\u{01}\"", 3),
    ("{\"a\":1 \"b\":2}", 7), ("[1] [2]", 4), ("@", 0),
])
func malformedJSONIsASyntaxErrorAtItsOffset(_ text: String, _ offset: Int) {
    do {
        _ = try parse(text)
        Issue.record("accepted \(text)")
    } catch {
        #expect(error.offset == offset, "\(error.reason)")
    }
}

@Test func nestingIsLimitedInsteadOfExhaustingTheStack() throws {
    let deep = String(repeating: "[", count: 100_000)
    do {
        _ = try parse(deep)
        Issue.record("deep nesting accepted")
    } catch {
        #expect(error.reason.contains("nested deeper"))
    }
    _ = try parse(String(repeating: "[", count: 60) + String(repeating: "]", count: 60))
}

@Test func quotedEscapesLikeSerdeJSONAndParsesBack() throws {
    let text = "q\"b\\n\nt\tc\u{01}\u{7F} é 😀"
    #expect(HeaderJSON.quoted(text) == #""q\"b\\n\nt\tc\u0001"# + "\u{7F} é 😀\"")
    #expect(try parse(HeaderJSON.quoted(text)) == .string(text))
}

@Test func utf8ValidationRejectsMalformedSequences() {
    #expect([UInt8]("é 😀".utf8).withUnsafeBytes { HeaderJSON.isValidUTF8($0) })
    #expect(![UInt8]([0x61, 0xC3]).withUnsafeBytes { HeaderJSON.isValidUTF8($0) })
    #expect(![UInt8]([0xED, 0xA0, 0x80]).withUnsafeBytes { HeaderJSON.isValidUTF8($0) })  // encoded surrogate
}
