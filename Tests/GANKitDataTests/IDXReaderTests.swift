import Foundation
import GANKitData
import GANKitTensor
import Testing

/// Writes an IDX file: a big-endian header (magic, sizes) then `payload`.
func writeIDX(_ url: URL, magic: UInt32, sizes: [UInt32], payload: [UInt8]) throws {
    var bytes: [UInt8] = []
    for word in [magic] + sizes { bytes += [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: word >> UInt32($0)) } }
    try Data(bytes + payload).write(to: url)
}

@Test func idxImagesAreScaledToMinusOneOne() throws {
    let dir = try TestFiles.scratch()
    defer { try? FileManager.default.removeItem(at: dir) }
    let url = dir.appendingPathComponent("images")
    var payload: [UInt8] = [0, 255]
    for i in 2..<12 { payload.append(UInt8(i * 10)) }
    try writeIDX(url, magic: IDXReader.imagesMagic, sizes: [2, 3, 2], payload: payload)
    let images = try IDXReader.readImages(at: url)
    #expect(images.shape == [2, 1, 3, 2])
    #expect(images.scalars[0] == -1 && images.scalars[1] == 1)
    #expect(abs(images.scalars[5] - (50 / 127.5 - 1)) < 1e-6)
}

@Test func idxRejectsAWrongMagicNumber() throws {
    let dir = try TestFiles.scratch()
    defer { try? FileManager.default.removeItem(at: dir) }
    let url = dir.appendingPathComponent("labels")
    try writeIDX(url, magic: IDXReader.labelsMagic, sizes: [3], payload: [1, 2, 3])
    #expect(throws: DataError.badMagic(path: url.path, expected: IDXReader.imagesMagic, found: IDXReader.labelsMagic)) {
        try IDXReader.readImages(at: url)
    }
    #expect(try IDXReader.readLabels(at: url) == [1, 2, 3])
}

@Test func idxRejectsTruncatedAndOverlongFiles() throws {
    let dir = try TestFiles.scratch()
    defer { try? FileManager.default.removeItem(at: dir) }
    let short = dir.appendingPathComponent("short"), long = dir.appendingPathComponent("long")
    try writeIDX(short, magic: IDXReader.imagesMagic, sizes: [2, 2, 2], payload: [1, 2, 3, 4, 5])
    try writeIDX(long, magic: IDXReader.imagesMagic, sizes: [1, 2, 2], payload: [1, 2, 3, 4, 5])
    #expect(throws: DataError.truncated(path: short.path, expectedBytes: 24, foundBytes: 21)) { try IDXReader.readImages(at: short) }
    #expect(throws: DataError.trailingData(path: long.path, expectedBytes: 20)) { try IDXReader.readImages(at: long) }
    // A header announcing 2³¹−1 images of 28×28 fails as truncated, without allocating them.
    let liar = dir.appendingPathComponent("liar")
    try writeIDX(liar, magic: IDXReader.imagesMagic, sizes: [0x7FFF_FFFF, 28, 28], payload: [0, 0])
    #expect(throws: DataError.self) { try IDXReader.readImages(at: liar) }
}

@Test func idxRejectsUnexpectedImageSizeAndOutOfRangeLabels() throws {
    let dir = try TestFiles.scratch()
    defer { try? FileManager.default.removeItem(at: dir) }
    let images = dir.appendingPathComponent("images"), labels = dir.appendingPathComponent("labels")
    try writeIDX(images, magic: IDXReader.imagesMagic, sizes: [1, 2, 2], payload: [1, 2, 3, 4])
    try writeIDX(labels, magic: IDXReader.labelsMagic, sizes: [2], payload: [3, 12])
    #expect(throws: DataError.self) { try IDXReader.readImages(at: images, expectedSize: (28, 28)) }
    #expect(throws: DataError.badLabel(path: labels.path, index: 1, label: 12, classCount: 10)) { try IDXReader.readLabels(at: labels) }
    #expect(throws: DataError.unreadable(path: dir.appendingPathComponent("none").path, reason: "no such file")) {
        try IDXReader.readImages(at: dir.appendingPathComponent("none"))
    }
}

@Test func idxReportsACorruptGzipStream() throws {
    let source = TestFiles.dataset("mnist").appendingPathComponent("t10k-labels-idx1-ubyte.gz")
    guard FileManager.default.fileExists(atPath: source.path) else { return }
    let dir = try TestFiles.scratch()
    defer { try? FileManager.default.removeItem(at: dir) }
    let cut = dir.appendingPathComponent("cut.gz")
    try Data(contentsOf: source).prefix(2000).write(to: cut)
    #expect(throws: DataError.self) { try IDXReader.readLabels(at: cut) }
}

/// The published SHA-256 sums of a shared data set folder, by file name.
private func publishedSums(_ folder: URL) throws -> [String: String] {
    let text = try String(contentsOf: folder.appendingPathComponent("SHA256SUMS"), encoding: .utf8)
    var sums: [String: String] = [:]
    for line in text.split(separator: "\n") {
        let parts = line.split(separator: " ", omittingEmptySubsequences: true)
        if parts.count == 2 { sums[String(parts[1]).trimmingCharacters(in: CharacterSet(charactersIn: "*"))] = String(parts[0]) }
    }
    return sums
}

@Test(.enabled(if: TestFiles.hasDataset("mnist") && TestFiles.hasDataset("fashion-mnist"), "../shared/datasets is absent"),
      arguments: ["mnist", "fashion-mnist"])
func sharedDatasetFilesMatchTheirSHA256SUMS(name: String) throws {
    let folder = TestFiles.dataset(name)
    let sums = try publishedSums(folder)
    #expect(sums.count == 4)
    for (file, expected) in sums {
        #expect(try SHA256.hex(ofFileAt: folder.appendingPathComponent(file)) == expected, "\(name)/\(file)")
    }
}

@Test(.enabled(if: TestFiles.hasDataset("mnist"), "../shared/datasets/mnist is absent"))
func mnistLoadsWithTheDocumentedCountsLabelsAndMeans() throws {
    let folder = TestFiles.dataset("mnist")
    let train = try ImageDataset.mnistLike(directory: folder, split: .train)
    let test = try ImageDataset.mnistLike(directory: folder, split: .test)
    #expect(train.images.shape == [60_000, 1, 28, 28] && test.images.shape == [10_000, 1, 28, 28])
    #expect(Array(train.labels!.prefix(10)) == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4])
    #expect(Array(test.labels!.prefix(10)) == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9])
    var counts = [Int](repeating: 0, count: 10)
    for l in train.labels! { counts[l] += 1 }
    #expect(counts == [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949])
    #expect(abs(meanPixel(train.images) - 0.1307) < 1e-4)
    #expect(abs(meanPixel(test.images) - 0.1325) < 1e-4)
    #expect(train.images.minElement == -1 && train.images.maxElement == 1)
}

@Test(.enabled(if: TestFiles.hasDataset("fashion-mnist"), "../shared/datasets/fashion-mnist is absent"))
func fashionMNISTLoadsWithTheDocumentedCountsLabelsAndMeans() throws {
    let folder = TestFiles.dataset("fashion-mnist")
    let train = try ImageDataset.mnistLike(directory: folder, split: .train)
    let test = try ImageDataset.mnistLike(directory: folder, split: .test)
    #expect(train.count == 60_000 && test.count == 10_000)
    #expect(Array(train.labels!.prefix(10)) == [9, 0, 0, 3, 0, 2, 7, 2, 5, 5])
    #expect(Array(test.labels!.prefix(10)) == [9, 2, 1, 1, 6, 1, 4, 6, 5, 7])
    var counts = [Int](repeating: 0, count: 10)
    for l in test.labels! { counts[l] += 1 }
    #expect(counts == [Int](repeating: 1000, count: 10))
    #expect(abs(meanPixel(train.images) - 0.2860) < 1e-4)
    #expect(abs(meanPixel(test.images) - 0.2868) < 1e-4)
}

/// The mean pixel in [0, 1] units (x = p/127.5 − 1 ⇒ p/255 = (x + 1)/2).
private func meanPixel(_ images: Tensor) -> Double {
    images.withUnsafeBufferPointer { b in
        var s = 0.0
        for v in b { s += Double(v) }
        return (s / Double(b.count) + 1) / 2
    }
}
