import Testing
import GANKitTestSupport

@Test func oracleFolderIsFoundAndEveryCaseHasAKind() {
    let cases = Oracle.all()
    #expect(!cases.isEmpty)
    for c in cases { #expect(!c.kind.isEmpty, "case \(c.name) has no kind") }
}
