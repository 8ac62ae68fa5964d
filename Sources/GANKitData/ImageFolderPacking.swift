import Dispatch
import Foundation

/// A folder decoded into bytes, and how.
public struct PackedFolder: Sendable {
    public var images: PackedImages
    /// Files left out by `skipBadImages`, with the reason (empty when read from the cache).
    public var skipped: [SkippedImage]
    /// How many files were skipped (also known when read from the cache).
    public var skippedCount: Int
    /// The cache file the images are mapped from, if any.
    public var cacheFile: URL?
    /// Whether the cache already held these images (no decoding was done).
    public var fromCache: Bool

    public init(images: PackedImages, skipped: [SkippedImage] = [], skippedCount: Int = 0, cacheFile: URL? = nil, fromCache: Bool = false) {
        self.images = images
        self.skipped = skipped
        self.skippedCount = skippedCount
        self.cacheFile = cacheFile
        self.fromCache = fromCache
    }
}

/// An image file left out of a data set, and why.
public struct SkippedImage: Sendable, Equatable {
    public var path: String
    public var reason: String
}

extension ImageFolderReader {
    /// Where decoded folders are cached: `$GANKIT_CACHE_DIR`, else `$XDG_CACHE_HOME/gankit`, else
    /// `~/.cache/gankit`.
    public static var defaultCacheDirectory: URL {
        let environment = ProcessInfo.processInfo.environment
        if let dir = environment["GANKIT_CACHE_DIR"], !dir.isEmpty { return URL(fileURLWithPath: dir) }
        if let dir = environment["XDG_CACHE_HOME"], !dir.isEmpty { return URL(fileURLWithPath: dir).appendingPathComponent("gankit") }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/gankit")
    }

    /// Identifies `files` (names relative to `folder`, sizes, modification times) and these
    /// decoding settings: a changed, added or removed file, or another size, changes it.
    public func fingerprint(folder: URL, files: [URL], skipBadImages: Bool) -> String {
        var hash = SHA256()
        hash.update(Array("gankit-image-folder-1 size=\(size) color=\(color?.rawValue ?? "own") skip=\(skipBadImages)\n".utf8))
        let root = folder.standardizedFileURL.path
        for file in files {
            let attributes = try? FileManager.default.attributesOfItem(atPath: file.path)
            let bytes = (attributes?[.size] as? NSNumber)?.int64Value ?? -1
            let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            let relative = String(file.standardizedFileURL.path.dropFirst(root.count))
            hash.update(Array("\(relative)\0\(bytes)\0\(modified)\n".utf8))
        }
        return hash.hexDigest()
    }

    /// Decodes every image under `folder` into bytes `[N, C, size, size]`.
    ///
    /// - Parameters:
    ///   - skipBadImages: leave out (and report) corrupt files and files whose channel count
    ///     differs from the first image's, rather than failing on the first of them.
    ///   - cacheDirectory: where to keep (and look for) the decoded folder; nil decodes into memory.
    ///   - progress: called with (files done, files in all) as decoding proceeds.
    ///   - shouldStop: polled between chunks; when it returns true the packing stops, throwing
    ///     `DataError.interrupted`, and no partial cache file is left.
    public func pack(folder: URL, skipBadImages: Bool = false, cacheDirectory: URL? = nil,
                     progress: (Int, Int) -> Void = { _, _ in }, shouldStop: () -> Bool = { false }) throws -> PackedFolder {
        let files = try imageFiles(in: folder)
        guard !files.isEmpty else { throw DataError.emptyFolder(path: folder.path, extensions: Self.extensions) }
        var writer: PackedImageFile.Writer?
        var fingerprint = ""
        if let cacheDirectory {
            fingerprint = self.fingerprint(folder: folder, files: files, skipBadImages: skipBadImages)
            let url = cacheDirectory.appendingPathComponent("folder-\(fingerprint.prefix(24)).gkimages")
            if let (images, header) = try? PackedImageFile.read(url), header.fingerprint == fingerprint {
                return PackedFolder(images: images, skipped: [], skippedCount: header.skipped, cacheFile: url, fromCache: true)
            }
            do { try FileManager.default.createDirectory(at: cacheDirectory, withIntermediateDirectories: true) } catch {
                throw DataError.unwritable(path: cacheDirectory.path, reason: "cannot create the cache folder (set GANKIT_CACHE_DIR to another): \(error.localizedDescription)")
            }
            writer = try PackedImageFile.Writer(url: url)
        }
        do {
            let channels = try firstChannels(files, skipBadImages: skipBadImages)
            var memory: [UInt8] = []
            var skipped: [SkippedImage] = []
            let perImage = channels * size * size
            let chunk = 256
            var buffer = [UInt8](repeating: 0, count: chunk * perImage)
            for start in stride(from: 0, to: files.count, by: chunk) {
                if shouldStop() { throw DataError.interrupted(path: folder.path) }
                let batch = Array(files[start..<min(start + chunk, files.count)])
                let failures = decodeChunk(batch, channels: channels, into: &buffer)
                for (k, url) in batch.enumerated() {
                    if let failure = failures[k] {
                        guard skipBadImages else { throw failure }
                        skipped.append(SkippedImage(path: url.path, reason: "\(failure)"))
                        continue
                    }
                    try buffer.withUnsafeBufferPointer { b in
                        let image = UnsafeBufferPointer(rebasing: b[(k * perImage)..<((k + 1) * perImage)])
                        if let writer { try writer.append(image) } else { memory.append(contentsOf: image) }
                    }
                }
                progress(min(start + chunk, files.count), files.count)
            }
            let count = files.count - skipped.count
            guard count > 0 else { throw DataError.emptyFolder(path: folder.path, extensions: Self.extensions) }
            if let writer {
                try writer.finish(PackedImageFile.Header(count: count, channels: channels, height: size, width: size, fingerprint: fingerprint,
                                                         source: folder.standardizedFileURL.path, skipped: skipped.count))
                let (images, _) = try PackedImageFile.read(writer.url)
                return PackedFolder(images: images, skipped: skipped, skippedCount: skipped.count, cacheFile: writer.url, fromCache: false)
            }
            let images = try PackedImages(bytes: memory, count: count, channels: channels, height: size, width: size)
            return PackedFolder(images: images, skipped: skipped, skippedCount: skipped.count, cacheFile: nil, fromCache: false)
        } catch {
            writer?.cancel()
            throw error
        }
    }

    /// The channel count `pack` will give the images of `folder`: the chosen colour's, or the first
    /// readable image's own (decoding only that one).
    public func outputChannels(folder: URL, skipBadImages: Bool) throws -> Int {
        if let color { return color.channels }
        let files = try imageFiles(in: folder)
        guard !files.isEmpty else { throw DataError.emptyFolder(path: folder.path, extensions: Self.extensions) }
        return try firstChannels(files, skipBadImages: skipBadImages)
    }

    /// The channel count of the output: the chosen colour's, or the first readable image's own.
    private func firstChannels(_ files: [URL], skipBadImages: Bool) throws -> Int {
        if let color { return color.channels }
        for file in files {
            do { return try decode(file, channels: nil).channels } catch { if !skipBadImages { throw error } }
        }
        throw DataError.corruptImage(path: files[0].path, reason: "no file of the folder could be decoded")
    }

    /// Decodes `files` in parallel into consecutive slots of `buffer`; the error of each file that
    /// failed (or whose channel count is not `channels`), else nil.
    private func decodeChunk(_ files: [URL], channels: Int, into buffer: inout [UInt8]) -> [DataError?] {
        let perImage = channels * size * size
        var failures = [DataError?](repeating: nil, count: files.count)
        let own = color == nil
        buffer.withUnsafeMutableBufferPointer { out in
            failures.withUnsafeMutableBufferPointer { failed in
                let slots = Slots(out: out, failed: failed)  // each index writes only its own slot
                DispatchQueue.concurrentPerform(iterations: files.count) { k in
                    do {
                        let image = try decode(files[k], channels: own ? nil : channels)
                        guard image.channels == channels else {
                            throw DataError.mixedChannels(path: files[k].path, channels: image.channels, expected: channels)
                        }
                        ImageResampler.centerCropResize(image, size: size,
                                                        into: UnsafeMutableBufferPointer(rebasing: slots.out[(k * perImage)..<((k + 1) * perImage)]))
                    } catch let error as DataError {
                        slots.failed[k] = error
                    } catch {
                        slots.failed[k] = .corruptImage(path: files[k].path, reason: "\(error)")
                    }
                }
            }
        }
        return failures
    }

    private struct Slots: @unchecked Sendable {
        let out: UnsafeMutableBufferPointer<UInt8>
        let failed: UnsafeMutableBufferPointer<DataError?>
    }
}
