import Foundation
import GANKitTraining

/// A value an option can hold: read from a command-line word, and from and to configuration
/// files (`Codable`), so that `--batch-size 64` and `batch-size: 64` accept the same values.
protocol TrainOptionValue: Codable, Equatable, Sendable {
    init?(commandLineWord word: String)
    /// What a value must look like, for errors ("an integer", "one of a, b").
    static var expected: String { get }
    /// The value's JSON Schema (`{"type": "integer"}`, `{"enum": [...]}`).
    static var schema: [String: JSONValue] { get }
}

extension TrainOptionValue where Self: LosslessStringConvertible {
    init?(commandLineWord word: String) { self.init(word) }
}

extension Int: TrainOptionValue {
    static var expected: String { "an integer" }
    static var schema: [String: JSONValue] { ["type": "integer"] }
}

extension UInt64: TrainOptionValue {
    static var expected: String { "a non-negative integer" }
    static var schema: [String: JSONValue] { ["type": "integer", "minimum": 0] }
}

extension Float: TrainOptionValue {
    static var expected: String { "a number" }
    static var schema: [String: JSONValue] { ["type": "number"] }
}

extension Bool: TrainOptionValue {
    static var expected: String { "true or false" }
    static var schema: [String: JSONValue] { ["type": "boolean"] }
}

extension String: TrainOptionValue {
    static var expected: String { "text" }
    static var schema: [String: JSONValue] { ["type": "string"] }
}

extension TrainOptionValue where Self: RawRepresentable & CaseIterable, RawValue == String {
    init?(commandLineWord word: String) { self.init(rawValue: word) }
    static var expected: String { "one of " + allCases.map(\.rawValue).joined(separator: ", ") }
    static var schema: [String: JSONValue] { ["enum": .array(allCases.map { .string($0.rawValue) })] }
}

/// A JSON value, for the configuration files' schema.
indirect enum JSONValue: Encodable, Equatable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral {
    case string(String), integer(Int), bool(Bool), array([JSONValue]), object([String: JSONValue])

    init(stringLiteral value: String) { self = .string(value) }
    init(integerLiteral value: Int) { self = .integer(value) }
    init(booleanLiteral value: Bool) { self = .bool(value) }

    func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .string(let v): try c.encode(v)
        case .integer(let v): try c.encode(v)
        case .bool(let v): try c.encode(v)
        case .array(let v): try c.encode(v)
        case .object(let v): try c.encode(v)
        }
    }
}

extension DatasetName: TrainOptionValue {}
extension WeightingName: TrainOptionValue {}
extension TopologyName: TrainOptionValue {}
extension ArchitectureName: TrainOptionValue {}
extension ObjectiveKind: TrainOptionValue {}
extension WeGANWeighting.Form: TrainOptionValue {}
extension MessengerOptimizerName: TrainOptionValue {}
extension GlobalUpdatesName: TrainOptionValue {}
extension OptimizerName: TrainOptionValue {}
extension SGANOptions.WeightedGenerators: TrainOptionValue {}
extension EvalGeneratorsName: TrainOptionValue {}
extension LatentNoise.Distribution: TrainOptionValue {}
extension WeightInitName: TrainOptionValue {}
extension BestMetricName: TrainOptionValue {}

/// One option of `gankit train`: its name, help and field, and how to read, write and merge it.
/// Made once per option in `TrainOptions.all`.
struct TrainOption: @unchecked Sendable {
    /// The flag without `--`, and the configuration files' key.
    let key: String
    let help: String
    /// True for an option that takes no value on the command line (present means true).
    let isFlag: Bool
    /// The placeholder of the value in `--help`.
    let valueName: String
    /// What a value must look like.
    let expected: String
    /// The value's JSON Schema, with the help as its description.
    let schema: [String: JSONValue]
    private let read: (inout TrainOptions, String) -> Bool
    private let decode: (inout TrainOptions, KeyedDecodingContainer<OptionKey>) throws -> Void
    private let encode: (TrainOptions, inout KeyedEncodingContainer<OptionKey>) throws -> Void
    private let take: (inout TrainOptions, TrainOptions) -> Void

    init<Value: TrainOptionValue>(_ key: String, _ field: WritableKeyPath<TrainOptions, Value?>, help: String, flag: Bool = false,
                             valueName: String? = nil) {
        self.key = key
        self.help = help
        isFlag = flag
        self.valueName = valueName ?? key
        expected = Value.expected
        schema = Value.schema.merging(["description": .string(help)]) { $1 }
        let codingKey = OptionKey(key)
        read = { options, word in
            guard let value = Value(commandLineWord: word) else { return false }
            options[keyPath: field] = value
            return true
        }
        decode = { options, container in
            if let value = try container.decodeIfPresent(Value.self, forKey: codingKey) { options[keyPath: field] = value }
        }
        encode = { options, container in try container.encodeIfPresent(options[keyPath: field], forKey: codingKey) }
        take = { options, overrides in
            if let value = overrides[keyPath: field] { options[keyPath: field] = value }
        }
    }

    /// Sets the option from a command-line word; false when the word is not a valid value.
    func read(_ word: String, into options: inout TrainOptions) -> Bool { read(&options, word) }
    func decode(into options: inout TrainOptions, from container: KeyedDecodingContainer<OptionKey>) throws { try decode(&options, container) }
    func encode(_ options: TrainOptions, into container: inout KeyedEncodingContainer<OptionKey>) throws { try encode(options, &container) }
    /// Copies the option from `overrides` when it is set there.
    func take(from overrides: TrainOptions, into options: inout TrainOptions) { take(&options, overrides) }
}

/// An option's name as a coding key.
struct OptionKey: CodingKey {
    let stringValue: String
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    var intValue: Int? { nil }
    init?(intValue: Int) { nil }
}

extension TrainOptions: Codable {
    public init(from decoder: Decoder) throws {
        self.init()
        let container = try decoder.container(keyedBy: OptionKey.self)
        for option in Self.all { try option.decode(into: &self, from: container) }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: OptionKey.self)
        for option in Self.all { try option.encode(self, into: &container) }
    }

    /// These options with every value set in `overrides` replacing this one's.
    public func overridden(by overrides: TrainOptions) -> TrainOptions {
        var merged = self
        for option in Self.all { option.take(from: overrides, into: &merged) }
        return merged
    }

    /// The options written on a command line (`--name value`, `--name=value`, or `--name` alone
    /// for a flag). Values are taken as written, so `--dragan-scale -1` reaches the range check.
    static func parse(commandLine words: [String]) throws(CLIError) -> TrainOptions {
        let options = Dictionary(uniqueKeysWithValues: all.map { ($0.key, $0) })
        var parsed = TrainOptions()
        var i = 0
        while i < words.count {
            let word = words[i]
            guard word.hasPrefix("--"), word.count > 2 else {
                throw .badInput("unexpected argument '\(word)': options are written --name value (see gankit train --help)")
            }
            var name = String(word.dropFirst(2)), value: String?
            if let equals = name.firstIndex(of: "=") {
                value = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            guard let option = options[name] else {
                let near = keys.filter { $0.hasPrefix(String(name.prefix(3))) }
                throw .badInput("unknown option '--\(name)'" + (near.isEmpty ? "" : "; did you mean " + near.map { "--\($0)" }.joined(separator: " or ") + "?")
                                + " (see gankit train --help)")
            }
            if option.isFlag {
                if value != nil { throw .badInput("--\(name) takes no value") }
                value = "true"
            } else if value == nil {
                // A following option is not a value (write --name=--value for one that starts so).
                guard i + 1 < words.count, !words[i + 1].hasPrefix("--") else { throw .badInput("missing value for --\(name) (\(option.expected))") }
                i += 1
                value = words[i]
            }
            guard option.read(value!, into: &parsed) else { throw .badInput("invalid --\(name): '\(value!)' is not \(option.expected)") }
            i += 1
        }
        return parsed
    }

    /// The JSON Schema of configuration files (`gankit train --schema`): a mapping of these keys,
    /// no others, to values of their types. Editors use it to check and complete a file.
    static var jsonSchema: Data {
        let schema: JSONValue = .object([
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "gankit train configuration",
            "type": "object",
            "additionalProperties": false,
            "properties": .object(Dictionary(uniqueKeysWithValues: all.map { ($0.key, JSONValue.object($0.schema)) })),
        ])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(schema)) ?? Data()
    }

    /// The options' part of `gankit train --help`, each help wrapped under its flag to fit 80 columns.
    static var helpText: String {
        all.map { option in
            let name = "--\(option.key)" + (option.isFlag ? "" : " <\(option.valueName)>")
            var lines: [String] = [], line = ""
            for word in option.help.split(separator: " ") {
                if !line.isEmpty, line.count + 1 + word.count > 70 {
                    lines.append(line)
                    line = ""
                }
                line += (line.isEmpty ? "" : " ") + word
            }
            lines.append(line)
            return "  \(name)\n" + lines.map { "        " + $0 }.joined(separator: "\n")
        }.joined(separator: "\n")
    }
}
