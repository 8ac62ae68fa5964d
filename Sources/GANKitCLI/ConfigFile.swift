import Foundation
import Yams

/// Reads `--config` files: YAML or JSON (JSON is YAML), keys spelled like the flags. Unknown keys
/// and ill-typed values are errors naming the file and the key, never silently ignored.
enum ConfigFile {
    static func load(_ path: String) throws(CLIError) -> TrainOptions {
        let url = URL(fileURLWithPath: path)
        guard FileManager.default.fileExists(atPath: url.path) else { throw .badInput("invalid --config: no such file: \(path)") }
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw .badInput("invalid --config: cannot read \(path) as UTF-8 text")
        }
        // Aliases nest exponentially ("billion laughs"), and Yams hashes a key's whole expansion
        // while checking for duplicate keys: an alias used as a key hangs it. A file of flat
        // options needs few aliases, so more than a handful is refused before parsing.
        guard aliasCount(text) <= maximumAliases else {
            throw .badInput("invalid --config: \(path) uses more than \(maximumAliases) YAML aliases (*name)")
        }
        // Composed into nodes, not `Yams.load`: building Swift values traps on a mapping used as a
        // key (`{{a: b}: c}`, found by fuzzing), where a node is simply not a plain name.
        let tree: Node?
        do { tree = try Yams.compose(yaml: text) } catch {
            throw .badInput("invalid --config: \(path) is not valid YAML or JSON: \(error)")
        }
        guard case .mapping(let mapping)? = tree, mapping.keys.allSatisfy({ $0.scalar != nil }) else {
            throw .badInput("invalid --config: \(path) must be a mapping of option names to values (like `iterations: 500`)")
        }
        let unknown = mapping.keys.compactMap(\.string).filter { !TrainOptions.keys.contains($0) }.sorted()
        if let key = unknown.first {
            let hint = key == "config" || key == "resume" ? " (it is a command-line flag only)" : ""
            throw .badInput("invalid --config: \(path): unknown option '\(key)'\(hint); allowed: \(TrainOptions.keys.joined(separator: ", "))")
        }
        do { return try YAMLDecoder().decode(TrainOptions.self, from: text) } catch let error as DecodingError {
            throw .badInput("invalid --config: \(path): \(describe(error))")
        } catch {
            throw .badInput("invalid --config: \(path): \(error)")
        }
    }

    /// The most YAML aliases a config file may use: enough to share values, too few to nest into
    /// an exponential expansion (16 aliases expand to at most 3^5 nodes).
    static let maximumAliases = 16

    /// How many `*name` alias references `text` may hold: a `*` followed by a name character, at
    /// the start of a line or after a space or `[{,:?-`. A `*` inside a scalar may be counted too;
    /// the count only has to bound the aliases, not find each one.
    static func aliasCount(_ text: String) -> Int {
        var count = 0, previous: UInt8 = UInt8(ascii: "\n")
        var bytes = text.utf8.makeIterator()
        while let byte = bytes.next() {
            if byte == UInt8(ascii: "*"), " \t\n\r[{,:?-".utf8.contains(previous), let next = bytes.next() {
                if !" \t\n\r[]{},".utf8.contains(next) { count += 1 }
                previous = next
                continue
            }
            previous = byte
        }
        return count
    }

    private static func describe(_ error: DecodingError) -> String {
        func key(_ path: [CodingKey]) -> String { path.map(\.stringValue).joined(separator: ".") }
        switch error {
        case let .typeMismatch(_, c), let .valueNotFound(_, c), let .dataCorrupted(c):
            return "bad value for '\(key(c.codingPath))': \(c.debugDescription)"
        case let .keyNotFound(k, _):
            return "missing '\(k.stringValue)'"
        @unknown default:
            return "\(error)"
        }
    }
}
