@testable import GANKitData
import GANKitFuzzSupport

/// A text corpus file, read both as lines and as BSD fortune records (UTF-8 validation, the
/// offset of the first bad byte, sentence splitting, the vocabulary).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzText(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let url = FuzzInput.file("input.txt", start, count)
    for layout in TextCorpus.Layout.allCases { _ = try? TextCorpus.read(url, layout: layout, sequenceLength: 16, vocabularyLimit: 32) }
    _ = TextCorpus.firstInvalidUTF8Offset(FuzzInput.data(start, count))
    return 0
}
