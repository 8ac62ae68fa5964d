import Foundation
import GANKitData
import GANKitTensor
import Testing

@Test func folderOfPNGAndJPEGFilesLoadsInNameOrderIgnoringOtherFiles() throws {
    let dir = try TestFiles.scratch()
    defer { try? FileManager.default.removeItem(at: dir) }
    // a.png: uniform white 40×30; b.JPG: the gradient; notes.txt is ignored.
    try PNGWriter.write(pixels: [UInt8](repeating: 255, count: 40 * 30 * 3), width: 40, height: 30, channels: 3,
                        to: dir.appendingPathComponent("a.png"))
    try ImageCodec.encodeJPEG(gradientImage(width: 64, height: 48), quality: 95).write(to: dir.appendingPathComponent("b.JPG"))
    try Data("not an image".utf8).write(to: dir.appendingPathComponent("notes.txt"))

    let rgb = try ImageFolderReader(size: 32, color: .rgb).read(folder: dir)
    #expect(rgb.images.shape == [2, 3, 32, 32])
    #expect(rgb.labels == nil)
    let first = rgb.images.slice(axis: 0, 0..<1)
    #expect(first.minElement > 0.999)
    #expect(rgb.images.isFinite && rgb.images.minElement >= -1 && rgb.images.maxElement <= 1)

    let grey = try ImageFolderReader(size: 28, color: .grayscale).read(folder: dir)
    #expect(grey.images.shape == [2, 1, 28, 28])
}

@Test func corruptImageInTheFolderIsAnErrorNamingIt() throws {
    let dir = try TestFiles.scratch()
    defer { try? FileManager.default.removeItem(at: dir) }
    try PNGWriter.write(pixels: [UInt8](repeating: 9, count: 16), width: 4, height: 4, channels: 1, to: dir.appendingPathComponent("good.png"))
    let bad = dir.appendingPathComponent("z-bad.jpg")
    try Data([0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 4, 5]).write(to: bad)
    do {
        _ = try ImageFolderReader(size: 64, color: .rgb).read(folder: dir)
        Issue.record("corrupt image accepted")
    } catch let error as DataError {
        #expect(error.description.contains("z-bad.jpg"))
    }
}

@Test func emptyFolderIsAnErrorNamingTheFolder() throws {
    let dir = try TestFiles.scratch()
    defer { try? FileManager.default.removeItem(at: dir) }
    #expect(throws: DataError.emptyFolder(path: dir.path, extensions: ImageFolderReader.extensions)) {
        try ImageFolderReader(size: 28, color: .grayscale).read(folder: dir)
    }
    #expect(throws: DataError.self) { try ImageFolderReader(size: 28, color: .grayscale).read(folder: dir.appendingPathComponent("missing")) }
}

@Test func unsupportedOutputSizeIsRejected() {
    #expect(throws: DataError.self) { try ImageFolderReader(size: 48, color: .rgb) }
}
