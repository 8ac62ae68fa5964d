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

    @Test func aWellFormedFileStillLoads() throws {
        let file = try makeTemporaryDirectory().appendingPathComponent("run.yaml")
        try "iterations: 12\nbatch-size: 8\n".write(to: file, atomically: true, encoding: .utf8)
        let options = try ConfigFile.load(file.path)
        #expect(options.iterations == 12 && options.batchSize == 8)
    }
}
