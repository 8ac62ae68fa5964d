import Foundation
import GANKitTensor

/// A JSON value as the oracle files hold it (configs are free-form).
public enum JSONValue: Sendable, Equatable {
    case number(Double), string(String), bool(Bool), array([JSONValue]), object([String: JSONValue]), null

    init(_ any: Any) {
        switch any {
        case let n as NSNumber: self = .number(n.doubleValue)  // JSON booleans arrive as 0/1 on Linux
        case let b as Bool: self = .bool(b)
        case let s as String: self = .string(s)
        case let a as [Any]: self = .array(a.map(JSONValue.init))
        case let o as [String: Any]: self = .object(o.mapValues(JSONValue.init))
        default: self = .null
        }
    }

    public subscript(key: String) -> JSONValue? { if case .object(let o) = self { o[key] } else { nil } }
    public var double: Double? {
        switch self {
        case .number(let n): n
        case .bool(let b): b ? 1 : 0
        default: nil
        }
    }
    public var float: Float? { double.map(Float.init) }
    public var int: Int? { double.map { Int($0) } }
    public var string: String? { if case .string(let s) = self { s } else { nil } }
    public var bool: Bool? {
        switch self {
        case .bool(let b): b
        case .number(let n): n != 0
        default: nil
        }
    }
    public var array: [JSONValue]? { if case .array(let a) = self { a } else { nil } }
}

/// One PyTorch-computed test vector from `../shared/oracle` (see its README).
public struct OracleCase: Sendable, CustomStringConvertible {
    public let name: String
    public let kind: String
    public let config: JSONValue
    public let inputs: [String: Tensor]
    public let expected: [String: Tensor]

    public var description: String { name }

    public func input(_ key: String) -> Tensor {
        guard let t = inputs[key] else { fatalError("oracle case \(name) has no input \(key)") }
        return t
    }

    public func expected(_ key: String) -> Tensor {
        guard let t = expected[key] else { fatalError("oracle case \(name) has no expected \(key)") }
        return t
    }
}

public enum Oracle {
    /// The oracle folder: `GANKIT_ORACLE_DIR`, or `../shared/oracle` beside the package.
    public static var directory: URL {
        if let env = ProcessInfo.processInfo.environment["GANKIT_ORACLE_DIR"], !env.isEmpty {
            return URL(fileURLWithPath: env)
        }
        // Tests/GANKitTestSupport/Oracle.swift → package root → ../shared/oracle
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.deletingLastPathComponent().appendingPathComponent("shared/oracle")
    }

    /// Every case of `kind` in the oracle folder. Missing folder or no case of a kind the caller
    /// relies on is a hard failure: a test that silently checks nothing cannot fail.
    public static func cases(kind: String) -> [OracleCase] {
        let found = all().filter { $0.kind == kind }
        precondition(!found.isEmpty, "no oracle case of kind \(kind) in \(directory.path)")
        return found
    }

    /// Every case of any of `kinds` (kinds that may legitimately be absent are allowed).
    public static func cases(kinds: [String]) -> [OracleCase] {
        let found = all().filter { kinds.contains($0.kind) }
        precondition(!found.isEmpty, "no oracle case of kinds \(kinds) in \(directory.path)")
        return found
    }

    nonisolated(unsafe) private static var cache: [OracleCase]?
    private static let lock = NSLock()

    public static func all() -> [OracleCase] {
        lock.lock(); defer { lock.unlock() }
        if let cache { return cache }
        let dir = directory
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else {
            fatalError("oracle folder not found at \(dir.path); set GANKIT_ORACLE_DIR")
        }
        let loaded = names.filter { $0.hasSuffix(".json") }.sorted().map { name -> OracleCase in
            let url = dir.appendingPathComponent(name)
            do { return try load(url) } catch { fatalError("cannot read oracle case \(url.path): \(error)") }
        }
        precondition(!loaded.isEmpty, "oracle folder \(dir.path) holds no *.json case")
        cache = loaded
        return loaded
    }

    /// Runs a Python oracle script (`python3 SCRIPT OUT_DIR`) that computes its cases with PyTorch
    /// at test time, and loads every case it wrote, by name. Used where the shared oracle folder
    /// lacks an op, so the expected values still come from PyTorch rather than from this code.
    public static func generate(script: URL, label: String) -> [String: OracleCase] {
        let dir: URL
        do { dir = try makeTemporaryDirectory(label) } catch { fatalError("cannot make a folder for \(script.lastPathComponent): \(error)") }
        let r: (status: Int32, output: String, error: String)
        do { r = try ExternalProcess.run("python3", [script.path, dir.path]) } catch { fatalError("cannot run \(script.path): \(error)") }
        precondition(r.status == 0, "\(script.lastPathComponent) failed: \(r.error)")
        var cases: [String: OracleCase] = [:]
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        for name in names where name.hasSuffix(".json") {
            let url = dir.appendingPathComponent(name)
            do { let c = try load(url); cases[c.name] = c } catch { fatalError("cannot read oracle case \(url.path): \(error)") }
        }
        precondition(!cases.isEmpty, "\(script.lastPathComponent) wrote no *.json case")
        return cases
    }

    public static func load(_ url: URL) throws -> OracleCase {
        let data = try Data(contentsOf: url)
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw CocoaError(.fileReadCorruptFile)
        }
        func tensors(_ key: String) -> [String: Tensor] {
            guard let dict = root[key] as? [String: Any] else { return [:] }
            var out: [String: Tensor] = [:]
            for (name, value) in dict {
                guard let v = value as? [String: Any], let shape = v["shape"] as? [Int] else { continue }
                let raw = v["data"]
                let values: [Float]
                if let list = raw as? [NSNumber] { values = list.map { $0.floatValue } }
                else if let n = raw as? NSNumber { values = [n.floatValue] }
                else { values = [] }
                out[name] = Tensor(shape: shape, values: values)
            }
            return out
        }
        return OracleCase(
            name: root["case"] as? String ?? url.deletingPathExtension().lastPathComponent,
            kind: root["kind"] as? String ?? "",
            config: JSONValue(root["config"] ?? [:]),
            inputs: tensors("inputs"), expected: tensors("expected"))
    }
}

/// Elementwise closeness as the oracle README asks: |a − e| ≤ atol + rtol·|e|.
public func isClose(_ actual: Tensor, _ expected: Tensor, rtol: Float = 1e-4, atol: Float = 1e-5) -> Bool {
    maxViolation(actual, expected, rtol: rtol, atol: atol) == nil
}

/// The first element that is not close, as a readable message (nil when all are close).
public func maxViolation(_ actual: Tensor, _ expected: Tensor, rtol: Float = 1e-4, atol: Float = 1e-5) -> String? {
    guard actual.count == expected.count else { return "shape \(actual.shape) vs expected \(expected.shape)" }
    let a = actual.scalars, e = expected.scalars
    var worst: (Int, Float)? = nil
    for i in 0..<a.count {
        let excess = abs(a[i] - e[i]) - (atol + rtol * abs(e[i]))
        if !(excess <= 0), excess > (worst?.1 ?? -1) || !excess.isFinite { worst = (i, excess.isFinite ? excess : .infinity) }
    }
    guard let (i, _) = worst else { return nil }
    return "element \(i): \(a[i]) vs expected \(e[i]) (shape \(expected.shape))"
}
