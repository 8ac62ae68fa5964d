import Foundation
import GANKit

/// How fast the image loader delivers batches against how fast a 64×64 DCGAN consumes them: a
/// packed, memory-mapped file of 20,000 images of 3×64×64 (CelebA's shape), batches of 64 in
/// shuffled order, converted to floats, with the prefetch on.
enum LoaderBenchmark {
    static func run(json: Bool) throws {
        let count = 20_000, side = 64, perImage = 3 * side * side
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gankit-loader-bench-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("images.gkimages")
        let writer = try PackedImageFile.Writer(url: url)
        var rng = RandomStream(seed: 1)
        var image = [UInt8](repeating: 0, count: perImage)
        for _ in 0..<count {
            for i in 0..<perImage { image[i] = UInt8(truncatingIfNeeded: rng.next()) }
            try image.withUnsafeBufferPointer { try writer.append($0) }
        }
        try writer.finish(.init(count: count, channels: 3, height: side, width: side, fingerprint: "bench", source: "random", skipped: 0))
        let source = PackedImageSource(images: try PackedImageFile.read(url).images)

        BLAS.setThreads(1)
        var cursor = DataCursor(stream: RandomStream(seed: 2))
        _ = source.nextBatch(64, cursor: &cursor)
        let batches = 2_000
        let start = DispatchTime.now().uptimeNanoseconds
        var checksum: Float = 0
        for _ in 0..<batches { checksum += source.nextBatch(64, cursor: &cursor).scalars[0] }
        let loaderMs = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6 / Double(batches)

        let trainer = try BenchmarkCase.dcgan64.makeTrainer(batch: 64, threads: 1, pairs: 1)
        _ = trainer.step()
        let iterations = 3
        let t0 = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<iterations { _ = trainer.step() }
        let iterationMs = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6 / Double(iterations)
        let ratio = iterationMs / loaderMs
        if json {
            print("{\"loader_ms_per_batch\": \(String(format: "%.3f", loaderMs)), \"dcgan64_ms_per_iteration\": \(String(format: "%.1f", iterationMs)), \"ratio\": \(String(format: "%.0f", ratio))}")
        } else {
            print(String(format: "loader: %.3f ms per batch of 64 (3×64×64, memory-mapped, shuffled; %.0f batches/s); dcgan64 at 1 thread: %.1f ms per iteration; the loader is %.0f× faster (checksum %.1f)",
                         loaderMs, 1000 / loaderMs, iterationMs, ratio, checksum))
        }
    }
}
