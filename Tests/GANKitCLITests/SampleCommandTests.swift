import Foundation
import GANKitTestSupport
import Testing
@testable import GANKitCLI

@Suite struct SampleCommandTests {
    @Test func samplesOfG0AndOfALocalGeneratorInEveryFormat() throws {
        let run = try makeTemporaryDirectory().appendingPathComponent("run")
        #expect(gankit(["train"] + tinyToy + ["--iterations", "3", "--eval-every", "0", "--out", run.path]).status == 0)
        let png = run.appendingPathComponent("g0.png"), npy = run.appendingPathComponent("g2.npy"), csv = run.appendingPathComponent("g1.csv")
        #expect(gankit(["sample", run.path, "--count", "50", "--output", png.path]).status == 0)
        #expect(try pngSize(png) != nil)
        #expect(gankit(["sample", run.path, "--generator", "2", "--count", "50", "--output", npy.path]).status == 0)
        let header = String(decoding: try Data(contentsOf: npy).prefix(128), as: UTF8.self)
        #expect(header.contains("'shape': (50, 2)"))
        #expect(try Data(contentsOf: npy).count == 128 + 50 * 2 * 4)
        #expect(gankit(["sample", run.path, "--generator", "1", "--count", "7", "--output", csv.path]).status == 0)
        let rows = try String(contentsOf: csv, encoding: .utf8).split(separator: "\n")
        #expect(rows.count == 8 && rows[0] == "x,y")
        let r = gankit(["sample", run.path, "--generator", "3", "--output", run.appendingPathComponent("g3.png").path])
        #expect(r.status == 2 && r.error.contains("--generator"))
        let again = gankit(["sample", run.path, "--count", "50", "--output", png.path])
        #expect(again.status == 2 && again.error.contains("exists"))
    }
}
