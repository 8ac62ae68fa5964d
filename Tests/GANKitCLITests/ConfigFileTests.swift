import Foundation
import GANKitTestSupport
import Testing
@testable import GANKitCLI

/// Regressions found by fuzzing `ConfigFile.load` (`scripts/fuzz config`): every file is a
/// thrown `CLIError.badInput` naming it, never a crash.
@Suite struct ConfigFileTests {
    /// A mapping used as a key made Yams' `load` trap while building a Swift dictionary. The first
    /// text is the fuzzer's input, exactly.
    @Test(arguments: ["{iteghti~g, {ia%sdrez}}\n", "? {a: b}\n: c\n", "[1, 2]: 3\n"])
    func aKeyThatIsNotANameIsRefused(text: String) throws {
        let file = try makeTemporaryDirectory().appendingPathComponent("run.yaml")
        try text.write(to: file, atomically: true, encoding: .utf8)
        #expect(throws: CLIError.badInput("invalid --config: \(file.path) must be a mapping of option names to values (like `iterations: 500`)")) {
            try ConfigFile.load(file.path)
        }
    }

    /// An alias nested nine times as a mapping key: Yams' duplicate-key check hashed its whole
    /// expansion (9^10 nodes) and hung. Found with the `config` harness.
    @Test func nestedAliasesAreRefusedBeforeParsing() throws {
        var lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
        for i in 1..<10 { lines.append("a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 9).joined(separator: ", ") + "]") }
        lines.append("? *a9\n: 1")
        let file = try makeTemporaryDirectory().appendingPathComponent("run.yaml")
        try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        #expect(throws: CLIError.badInput("invalid --config: \(file.path) uses more than 16 YAML aliases (*name)")) {
            try ConfigFile.load(file.path)
        }
    }

    @Test func aliasesAreCountedWhereTheyCanStart() {
        #expect(ConfigFile.aliasCount("a: *x\nb: [*y, *z]\n? *k\n: v\n- *s") == 5)
        #expect(ConfigFile.aliasCount("a: b*c\nd: '*'\ne: * \n") == 0)
    }

    @Test func aWellFormedFileStillLoads() throws {
        let file = try makeTemporaryDirectory().appendingPathComponent("run.yaml")
        try "iterations: 12\nbatch-size: 8\n".write(to: file, atomically: true, encoding: .utf8)
        let options = try ConfigFile.load(file.path)
        #expect(options.iterations == 12 && options.batchSize == 8)
    }
}
