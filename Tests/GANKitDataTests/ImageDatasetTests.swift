import Foundation
import GANKitData
import GANKitTensor
import Testing

@Test func imagesAndLabelsWithDifferentCountsAreRejected() throws {
    let dir = try TestFiles.scratch()
    defer { try? FileManager.default.removeItem(at: dir) }
    let images = dir.appendingPathComponent("images"), labels = dir.appendingPathComponent("labels")
    try writeIDX(images, magic: IDXReader.imagesMagic, sizes: [2, 1, 1], payload: [0, 255])
    try writeIDX(labels, magic: IDXReader.labelsMagic, sizes: [3], payload: [0, 1, 2])
    #expect(throws: DataError.countMismatch(images: images.path, imageCount: 2, labels: labels.path, labelCount: 3)) {
        try ImageDataset.idx(images: images, labels: labels)
    }
    try writeIDX(labels, magic: IDXReader.labelsMagic, sizes: [2], payload: [4, 1])
    let d = try ImageDataset.idx(images: images, labels: labels)
    #expect(d.count == 2 && d.labels == [4, 1] && d.imageShape == [1, 1, 1])
}

@Test func datasetInitialiserChecksRankAndLabelCount() {
    #expect(throws: DataError.self) { try ImageDataset(images: Tensor.zeros([2, 3])) }
    #expect(throws: DataError.self) { try ImageDataset(images: Tensor.zeros([2, 1, 2, 2]), labels: [1]) }
}

@Test func mnistLikeFolderWithoutTheFilesNamesTheMissingFile() throws {
    let dir = try TestFiles.scratch()
    defer { try? FileManager.default.removeItem(at: dir) }
    do {
        _ = try ImageDataset.mnistLike(directory: dir, split: .test)
        Issue.record("empty folder accepted")
    } catch let error as DataError {
        #expect(error.description.contains("t10k-images-idx3-ubyte"))
    }
}
