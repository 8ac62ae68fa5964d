/// The JSON of a safetensors header, parsed by a small strict parser of our own.
///
/// Foundation's `JSONSerialization` keeps only one of duplicate keys, and duplicate tensor names must
/// be reported; so objects keep their members in file order, numbers keep their text (shapes and
/// offsets are integers, read exactly with `integer`), and nesting is limited so that no input can
/// exhaust the stack.
indirect enum HeaderJSON: Equatable, Sendable {
    case object([Member])
    case array([HeaderJSON])
    case string(String)
    case number(String)
    case bool(Bool)
    case null

    struct Member: Equatable, Sendable {
        var key: String
        var value: HeaderJSON
    }

    /// A syntax error at a byte offset of the parsed text.
    struct SyntaxError: Error, Equatable {
        var offset: Int
        var reason: String
    }

    /// The value of a number written as an integer that fits `Int`; nil for fractions, exponents,
    /// out-of-range integers and non-numbers.
    var integer: Int? {
        if case .number(let text) = self { Int(text) } else { nil }
    }

    /// Parses one JSON value filling `bytes` (surrounding whitespace allowed).
    static func parse(_ bytes: UnsafeRawBufferPointer) throws(SyntaxError) -> HeaderJSON {
        var parser = Parser(bytes: bytes)
        let value = try parser.value(depth: 0)
        parser.skipWhitespace()
        guard parser.position == bytes.count else { throw parser.error("unexpected text after the header object") }
        return value
    }

    /// `text` as a JSON string literal, escaped as serde_json does (so headers match the reference).
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\u{00}"..."\u{1F}":
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// True when `bytes` are well-formed UTF-8.
    static func isValidUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }
}

private struct Parser {
    static let maximumDepth = 64
    let bytes: UnsafeRawBufferPointer
    var position = 0

    init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    func error(_ reason: String) -> HeaderJSON.SyntaxError { HeaderJSON.SyntaxError(offset: position, reason: reason) }

    var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    mutating func skipWhitespace() {
        while let b = current, b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { position += 1 }
    }

    mutating func consume(_ ascii: Unicode.Scalar) -> Bool {
        guard current == UInt8(ascii: ascii) else { return false }
        position += 1
        return true
    }

    mutating func value(depth: Int) throws(HeaderJSON.SyntaxError) -> HeaderJSON {
        guard depth < Self.maximumDepth else { throw error("nested deeper than \(Self.maximumDepth) levels") }
        skipWhitespace()
        guard let b = current else { throw error("unexpected end of header") }
        switch b {
        case UInt8(ascii: "{"): return try object(depth: depth)
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw error("unexpected character")
        }
    }

    mutating func object(depth: Int) throws(HeaderJSON.SyntaxError) -> HeaderJSON {
        position += 1  // {
        var members: [HeaderJSON.Member] = []
        skipWhitespace()
        if consume("}") { return .object(members) }
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else { throw error("expected a string key") }
            let key = try string()
            skipWhitespace()
            guard consume(":") else { throw error("expected ':' after a key") }
            members.append(HeaderJSON.Member(key: key, value: try value(depth: depth + 1)))
            skipWhitespace()
            if consume(",") { continue }
            if consume("}") { return .object(members) }
            throw error("expected ',' or '}' in an object")
        }
    }

    mutating func array(depth: Int) throws(HeaderJSON.SyntaxError) -> HeaderJSON {
        position += 1  // [
        var elements: [HeaderJSON] = []
        skipWhitespace()
        if consume("]") { return .array(elements) }
        while true {
            elements.append(try value(depth: depth + 1))
            skipWhitespace()
            if consume(",") { continue }
            if consume("]") { return .array(elements) }
            throw error("expected ',' or ']' in an array")
        }
    }

    mutating func literal(_ word: String) throws(HeaderJSON.SyntaxError) {
        for expected in word.utf8 {
            guard current == expected else { throw error("invalid literal, expected \(word)") }
            position += 1
        }
    }

    mutating func number() throws(HeaderJSON.SyntaxError) -> HeaderJSON {
        let start = position
        _ = consume("-")
        let digitsStart = position
        guard try digits() > 0 else { throw error("expected a digit") }
        if bytes[digitsStart] == UInt8(ascii: "0") && position - digitsStart > 1 {
            position = digitsStart + 1
            throw error("leading zero in a number")
        }
        if consume("."), try digits() == 0 { throw error("expected a digit after '.'") }
        if consume("e") || consume("E") {
            if !consume("+") { _ = consume("-") }
            if try digits() == 0 { throw error("expected a digit in the exponent") }
        }
        return .number(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self))
    }

    /// Skips decimal digits and returns how many there were.
    mutating func digits() throws(HeaderJSON.SyntaxError) -> Int {
        let start = position
        while let b = current, b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") { position += 1 }
        return position - start
    }

    mutating func string() throws(HeaderJSON.SyntaxError) -> String {
        position += 1  // opening quote
        var utf8: [UInt8] = []
        while true {
            guard let b = current else { throw error("unterminated string") }
            position += 1
            switch b {
            case UInt8(ascii: "\""):
                return String(decoding: utf8, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard let escape = current else { throw error("unterminated escape") }
                position += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(escape)
                case UInt8(ascii: "b"): utf8.append(0x08)
                case UInt8(ascii: "f"): utf8.append(0x0C)
                case UInt8(ascii: "n"): utf8.append(0x0A)
                case UInt8(ascii: "r"): utf8.append(0x0D)
                case UInt8(ascii: "t"): utf8.append(0x09)
                case UInt8(ascii: "u"): utf8.append(contentsOf: String(try unicodeEscape()).utf8)
                default: throw error("invalid escape")
                }
            case 0x00..<0x20:
                throw error("control character in a string")
            default:
                utf8.append(b)
            }
        }
    }

    /// The scalar of a `\uXXXX` escape (after the `u`), joining a UTF-16 surrogate pair.
    mutating func unicodeEscape() throws(HeaderJSON.SyntaxError) -> Unicode.Scalar {
        let first = try hex4()
        var value = UInt32(first)
        if (0xD800..<0xDC00).contains(first) {
            guard consume("\\"), consume("u") else { throw error("unpaired surrogate") }
            let second = try hex4()
            guard (0xDC00..<0xE000).contains(second) else { throw error("unpaired surrogate") }
            value = 0x10000 + ((UInt32(first) - 0xD800) << 10) + (UInt32(second) - 0xDC00)
        }
        guard let scalar = Unicode.Scalar(value) else { throw error("unpaired surrogate") }
        return scalar
    }

    mutating func hex4() throws(HeaderJSON.SyntaxError) -> UInt16 {
        var value: UInt16 = 0
        for _ in 0..<4 {
            guard let b = current, let digit = Int(String(UnicodeScalar(b)), radix: 16) else {
                throw error("expected four hexadecimal digits")
            }
            value = value << 4 | UInt16(digit)
            position += 1
        }
        return value
    }
}
