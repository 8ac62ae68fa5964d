import Foundation
import GANKitData
import GANKitTensor
import Testing

/// A CIFAR-10 batch file of `labels.count` records whose pixel j of record r is (r + j) mod 256.
func writeCIFARBatch(_ url: URL, labels: [UInt8]) throws {
    var bytes: [UInt8] = []
    for (r, label) in labels.enumerated() {
        bytes.append(label)
        bytes += (0..<3072).map { UInt8(truncatingIfNeeded: r + $0) }
    }
    try Data(bytes).write(to: url)
}

@Test func cifarRecordsBecomeCHWImagesWithLabels() throws {
    let dir = try TestFiles.scratch()
    defer { try? FileManager.default.removeItem(at: dir) }
    let a = dir.appendingPathComponent("data_batch_1.bin"), b = dir.appendingPathComponent("data_batch_2.bin")
    try writeCIFARBatch(a, labels: [3, 9])
    try writeCIFARBatch(b, labels: [0])
    let d = try CIFAR10Reader.read(files: [a, b])
    #expect(d.images.shape == [3, 3, 32, 32])
    #expect(d.labels == [3, 9, 0])
    // Record 1, green channel (offset 1024), row 0, column 5: (1 + 1029) mod 256 = 6.
    #expect(abs(d.images[1, 1, 0, 5] - (6 / 127.5 - 1)) < 1e-6)
    #expect(d.images[2, 0, 0, 0] == -1)
}

@Test func cifarRejectsSizesThatAreNotWholeRecordsAndLabelsAboveNine() throws {
    let dir = try TestFiles.scratch()
    defer { try? FileManager.default.removeItem(at: dir) }
    let odd = dir.appendingPathComponent("odd.bin")
    try Data(repeating: 1, count: 3073 + 5).write(to: odd)
    #expect(throws: DataError.self) { try CIFAR10Reader.read(files: [odd]) }
    let bad = dir.appendingPathComponent("bad.bin")
    try writeCIFARBatch(bad, labels: [1, 10])
    #expect(throws: DataError.badLabel(path: bad.path, index: 1, label: 10, classCount: 10)) { try CIFAR10Reader.read(files: [bad]) }
}

@Test func cifarSplitReadsTheStandardFileNames() throws {
    let dir = try TestFiles.scratch()
    defer { try? FileManager.default.removeItem(at: dir) }
    try writeCIFARBatch(dir.appendingPathComponent("test_batch.bin"), labels: [7, 7, 2])
    #expect(try CIFAR10Reader.read(directory: dir, split: .test).labels == [7, 7, 2])
    #expect(throws: DataError.self) { try CIFAR10Reader.read(directory: dir, split: .train) }
}

@Test func cifarReadsStraightFromTheGzippedTarArchive() throws {
    let dir = try TestFiles.scratch()
    defer { try? FileManager.default.removeItem(at: dir) }
    let inner = dir.appendingPathComponent("cifar-10-batches-bin")
    try FileManager.default.createDirectory(at: inner, withIntermediateDirectories: true)
    for k in 1...5 { try writeCIFARBatch(inner.appendingPathComponent("data_batch_\(k).bin"), labels: [UInt8(k), UInt8(k)]) }
    try writeCIFARBatch(inner.appendingPathComponent("test_batch.bin"), labels: [9])
    try Data("airplane\n".utf8).write(to: inner.appendingPathComponent("batches.meta.txt"))
    let archive = dir.appendingPathComponent("cifar-10-binary.tar.gz")
    try runTar(["czf", archive.path, "-C", dir.path, "cifar-10-batches-bin"])
    let train = try CIFAR10Reader.read(archive: archive, split: .train)
    #expect(train.labels == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5])
    let test = try CIFAR10Reader.read(archive: archive, split: .test)
    let direct = try CIFAR10Reader.read(directory: inner, split: .test)
    #expect(test.labels == [9] && test.images.isBitwiseIdentical(to: direct.images))
}

@Test func cifarLocationIsTheBatchFolderItsParentOrTheArchive() throws {
    let dir = try TestFiles.scratch()
    defer { try? FileManager.default.removeItem(at: dir) }
    let inner = dir.appendingPathComponent("cifar-10-batches-bin")
    try FileManager.default.createDirectory(at: inner, withIntermediateDirectories: true)
    for k in 1...5 { try writeCIFARBatch(inner.appendingPathComponent("data_batch_\(k).bin"), labels: [UInt8(k)]) }
    let fromFolder = try CIFAR10Reader.packed(location: inner, split: .train)
    let fromParent = try CIFAR10Reader.packed(location: dir, split: .train)
    #expect(fromFolder.labels == [1, 2, 3, 4, 5] && fromParent.labels == [1, 2, 3, 4, 5])
    #expect(fromFolder.imageShape == [3, 32, 32])
    // Bytes kept as they are: record 2 (r = 0 in its file), pixel 7 is 7.
    #expect(fromParent.withImageBytes(2) { $0[7] } == 7)
    #expect(fromParent.prefix(2).count == 2 && fromParent.prefix(2).labels == [1, 2])

    let archive = dir.appendingPathComponent(CIFAR10Reader.archiveName)
    try runTar(["czf", archive.path, "-C", dir.path, "cifar-10-batches-bin"])
    try FileManager.default.removeItem(at: inner)
    let fromArchive = try CIFAR10Reader.packed(location: dir, split: .train)
    #expect(fromArchive.floats().isBitwiseIdentical(to: fromFolder.floats()))
    #expect(try CIFAR10Reader.packed(location: archive, split: .train).labels == [1, 2, 3, 4, 5])

    let empty = try TestFiles.scratch("empty")
    defer { try? FileManager.default.removeItem(at: empty) }
    do {
        _ = try CIFAR10Reader.packed(location: empty, split: .train)
        Issue.record("an empty folder was accepted as CIFAR-10")
    } catch let error as DataError {
        #expect(error.description.contains("data_batch_1.bin") && error.description.contains(CIFAR10Reader.archiveName))
    }
}
