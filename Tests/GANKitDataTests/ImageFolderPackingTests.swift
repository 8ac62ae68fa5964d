import Foundation
import GANKitData
import GANKitTensor
import Testing

/// A folder of `count` small RGB PNGs whose pixels encode their index (image k is uniform k % 256
/// in red), some in nested folders, plus a hidden folder and a text file that must be ignored.
private func indexedFolder(_ count: Int, side: Int = 8) throws -> URL {
    let dir = try TestFiles.scratch()
    try FileManager.default.createDirectory(at: dir.appendingPathComponent("nested/deeper"), withIntermediateDirectories: true)
    try FileManager.default.createDirectory(at: dir.appendingPathComponent(".hidden"), withIntermediateDirectories: true)
    for k in 0..<count {
        var pixels = [UInt8](repeating: 0, count: side * side * 3)
        for p in 0..<(side * side) { pixels[3 * p] = UInt8(k % 256); pixels[3 * p + 1] = 100; pixels[3 * p + 2] = 200 }
        let sub = k % 3 == 0 ? "" : k % 3 == 1 ? "nested/" : "nested/deeper/"
        try PNGWriter.write(pixels: pixels, width: side, height: side, channels: 3, to: dir.appendingPathComponent("\(sub)img\(String(format: "%06d", k)).png"))
    }
    try PNGWriter.write(pixels: [UInt8](repeating: 1, count: 16), width: 4, height: 4, channels: 1, to: dir.appendingPathComponent(".hidden/x.png"))
    try Data("notes".utf8).write(to: dir.appendingPathComponent("nested/readme.txt"))
    return dir
}

@Test func folderIsReadRecursivelyInPathOrderSkippingHiddenFiles() throws {
    let dir = try indexedFolder(9)
    defer { try? FileManager.default.removeItem(at: dir) }
    let reader = try ImageFolderReader(size: 28, color: nil)
    let files = try reader.imageFiles(in: dir).map { String($0.path.dropFirst(dir.path.count + 1)) }
    #expect(files == files.sorted())
    #expect(files.count == 9)
    #expect(!files.contains { $0.contains(".hidden") })
    let packed = try reader.pack(folder: dir)
    #expect(packed.images.imageShape == [3, 28, 28])
    #expect(packed.images.count == 9)
    // The order is the sorted relative paths: img000000, 3, 6, then nested/deeper/img000002, 5, 8,
    // then nested/img000001, 4, 7.
    let reds = (0..<9).map { k in packed.images.withImageBytes(k) { Int($0[0]) } }
    #expect(reds == [0, 3, 6, 2, 5, 8, 1, 4, 7])
    // Bytes become floats p/127.5 − 1.
    let floats = packed.images.floats(rows: [1])
    #expect(abs(floats.scalars[0] - (3 / 127.5 - 1)) < 1e-6)
    #expect(abs(floats.scalars[28 * 28] - (100 / 127.5 - 1)) < 1e-6)
}

@Test func packedFolderIsCachedAndTheCacheFollowsTheFiles() throws {
    let dir = try indexedFolder(20)
    let cache = try TestFiles.scratch()
    defer { try? FileManager.default.removeItem(at: dir); try? FileManager.default.removeItem(at: cache) }
    let reader = try ImageFolderReader(size: 32, color: nil)
    var progress: [Int] = []
    let first = try reader.pack(folder: dir, cacheDirectory: cache, progress: { done, total in
        #expect(total == 20)
        progress.append(done)
    })
    #expect(!first.fromCache)
    #expect(progress.last == 20)
    let file = try #require(first.cacheFile)
    #expect(try FileManager.default.contentsOfDirectory(atPath: cache.path) == [file.lastPathComponent])
    let size = try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int
    #expect(size == PackedImageFile.headerSize + 20 * 3 * 32 * 32)

    let second = try reader.pack(folder: dir, cacheDirectory: cache, progress: { _, _ in Issue.record("decoded again despite the cache") })
    #expect(second.fromCache)
    #expect(second.images.floats().scalars == first.images.floats().scalars)

    // Another size, or a changed folder, is another cache entry.
    #expect(try !ImageFolderReader(size: 28, color: nil).pack(folder: dir, cacheDirectory: cache).fromCache)
    try FileManager.default.removeItem(at: dir.appendingPathComponent("img000000.png"))
    let changed = try reader.pack(folder: dir, cacheDirectory: cache)
    #expect(!changed.fromCache)
    #expect(changed.images.count == 19)
}

@Test func interruptedPackingLeavesNoCacheFile() throws {
    let dir = try indexedFolder(600)
    let cache = try TestFiles.scratch()
    defer { try? FileManager.default.removeItem(at: dir); try? FileManager.default.removeItem(at: cache) }
    var polls = 0
    #expect(throws: DataError.interrupted(path: dir.path)) {
        try ImageFolderReader(size: 28, color: nil).pack(folder: dir, cacheDirectory: cache, shouldStop: {
            polls += 1
            return polls > 1  // stop after the first chunk
        })
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: cache.path).isEmpty)
}

@Test func mixedChannelsAreAnErrorOrSkippedAndCounted() throws {
    let dir = try indexedFolder(3)
    defer { try? FileManager.default.removeItem(at: dir) }
    let grey = dir.appendingPathComponent("z-grey.png"), broken = dir.appendingPathComponent("z-broken.jpg")
    try PNGWriter.write(pixels: [UInt8](repeating: 50, count: 64), width: 8, height: 8, channels: 1, to: grey)
    try Data([0xFF, 0xD8, 0xFF, 0xE0, 0, 1]).write(to: broken)
    let reader = try ImageFolderReader(size: 28, color: nil)
    // z-broken.jpg sorts before z-grey.png: the first bad file in path order is reported.
    do {
        _ = try reader.pack(folder: dir)
        Issue.record("a corrupt file was accepted")
    } catch let error as DataError {
        #expect(error.description.contains("z-broken.jpg"))
    }
    try FileManager.default.removeItem(at: broken)
    #expect(throws: DataError.mixedChannels(path: grey.path, channels: 1, expected: 3)) { try reader.pack(folder: dir) }
    try Data([0xFF, 0xD8, 0xFF, 0xE0, 0, 1]).write(to: broken)
    let skipping = try reader.pack(folder: dir, skipBadImages: true)
    #expect(skipping.images.count == 3)
    #expect(skipping.skippedCount == 2)
    #expect(skipping.skipped.map(\.path) == [broken.path, grey.path])
    // Converting every image to RGB takes the grey one in.
    try FileManager.default.removeItem(at: broken)
    #expect(try ImageFolderReader(size: 28, color: .rgb).pack(folder: dir).images.count == 4)
    #expect(try ImageFolderReader(size: 28, color: nil).outputChannels(folder: dir, skipBadImages: false) == 3)
}

@Test func packedFileRejectsForeignTruncatedAndPaddedFiles() throws {
    let dir = try TestFiles.scratch()
    defer { try? FileManager.default.removeItem(at: dir) }
    let url = dir.appendingPathComponent("x.gkimages")
    let writer = try PackedImageFile.Writer(url: url)
    let bytes = [UInt8](0..<48)
    try bytes.withUnsafeBufferPointer { try writer.append($0) }
    try writer.finish(.init(count: 3, channels: 1, height: 4, width: 4, fingerprint: "f", source: "test", skipped: 0))
    let (images, header) = try PackedImageFile.read(url)
    #expect(header.count == 3 && header.fingerprint == "f")
    #expect(images.withImageBytes(2) { Array($0) } == Array(32..<48))

    let whole = try Data(contentsOf: url)
    try whole.prefix(whole.count - 1).write(to: url)
    #expect(throws: DataError.truncated(path: url.path, expectedBytes: whole.count, foundBytes: whole.count - 1)) { try PackedImageFile.read(url) }
    try (whole + Data([0])).write(to: url)
    #expect(throws: DataError.trailingData(path: url.path, expectedBytes: whole.count)) { try PackedImageFile.read(url) }
    try Data(count: 5000).write(to: url)
    #expect(throws: DataError.self) { try PackedImageFile.read(url) }
}

/// The path a CelebA-sized folder takes, at a tenth of its size: 20,000 files decoded in parallel
/// into the cache, then mapped; memory holds bytes, not floats.
@Test func twentyThousandImageFolderPacksAndMaps() throws {
    let dir = try indexedFolder(20_000, side: 4)
    let cache = try TestFiles.scratch()
    defer { try? FileManager.default.removeItem(at: dir); try? FileManager.default.removeItem(at: cache) }
    let reader = try ImageFolderReader(size: 32, color: nil)
    let packed = try reader.pack(folder: dir, cacheDirectory: cache)
    #expect(packed.images.count == 20_000)
    let again = try reader.pack(folder: dir, cacheDirectory: cache)
    #expect(again.fromCache)
    // Image k of the sorted paths: every image's red level is its index mod 256, spread over three folders.
    let reds = Set((0..<20_000).map { k in again.images.withImageBytes(k) { $0[0] } })
    #expect(reds.count == 256)
    #expect(again.images.floats(rows: [19_999]).shape == [1, 3, 32, 32])
}
