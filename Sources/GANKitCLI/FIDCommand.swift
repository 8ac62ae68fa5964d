import ArgumentParser
import Foundation
import GANKitData
import GANKitEvaluation
import GANKitMetrics
import GANKitTensor

/// `gankit fid DIR_A DIR_B --inception-weights FILE`: the FID between two folders of images, as
/// `python -m pytorch_fid DIR_A DIR_B` computes it (each image read at its own size as RGB in
/// [0, 1], resized to 299 by the network; features in double precision).
struct FIDCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fid", abstract: "FID between two folders of PNG/JPEG images, on the FID Inception network.",
        discussion: """
        Folders are read recursively (hidden files skipped), in sorted order. FID is biased upward at \
        small image counts: compare only scores computed from equal counts.
        """)

    @Argument(help: ArgumentHelp("Two folders of images or statistics files (from --save-stats), or one folder with --save-stats.",
                                 valueName: "DIR_OR_STATS"))
    var paths: [String]
    @Option(help: ArgumentHelp("Write the one folder's statistics (mean and covariance of its features) to FILE, to compare against later.",
                               valueName: "FILE"))
    var saveStats: String?
    @Option(help: ArgumentHelp("The FID Inception network's weights (scripts/convert-inception-weights).", valueName: "FILE"))
    var inceptionWeights: String
    @Option(help: "Images per forward pass.") var batchSize = InceptionEvaluation.batchSize
    @Option(help: "Threads.") var threads = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8))
    @Flag(help: "Print one JSON object instead of a line.") var json = false
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        if saveStats != nil {
            guard paths.count == 1 else { throw ValidationError("--save-stats takes one folder (got \(paths.count) paths)") }
        } else {
            guard paths.count == 2 else { throw ValidationError("give two folders or statistics files to compare (got \(paths.count))") }
        }
        guard batchSize >= 1 else { throw ValidationError("invalid --batch-size: must be at least 1 (got \(batchSize))") }
        guard (1...TrainOptions.maximumThreads).contains(threads) else { throw ValidationError("invalid --threads: must be 1 to \(TrainOptions.maximumThreads) (got \(threads))") }
    }

    /// A statistics file (`InceptionStatistics`), as opposed to a folder.
    static func isStatisticsFile(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }

    /// What `--json` prints.
    struct Result: Codable {
        var fid: Double
        var imagesA: Int
        var imagesB: Int
        var weights: String
        enum CodingKeys: String, CodingKey { case fid, imagesA = "images_a", imagesB = "images_b", weights }
    }

    func run() throws {
        let logger = logging.makeLogger("gankit.fid")
        // Every folder is listed and every statistics file read before the network is built or
        // any image decoded.
        var sources: [Either] = []
        for path in paths {
            if Self.isStatisticsFile(path) {
                guard saveStats == nil else { throw CLIError.badInput("--save-stats needs a folder of images, not the file \(path)") }
                do { sources.append(.statistics(try InceptionStatistics(contentsOf: URL(fileURLWithPath: path)))) } catch {
                    throw CLIError.badInput("\(path): \(error)")
                }
            } else {
                let folder = URL(fileURLWithPath: path)
                let files: [URL]
                do { files = try ImageFolderReader(size: 64, color: .rgb).imageFiles(in: folder) } catch { throw CLIError.badInput("\(error)") }
                guard files.count >= 2 else {
                    throw CLIError.badInput("\(folder.path) holds \(files.count) PNG or JPEG image\(files.count == 1 ? "" : "s"); FID needs at least 2")
                }
                sources.append(.folder(folder, files))
            }
        }
        let provider = InceptionProvider(weights: URL(fileURLWithPath: inceptionWeights), threads: threads)
        let network = try provider.network()
        for (path, source) in zip(paths, sources) {
            if case .statistics(let s) = source, !s.weightsSHA256.isEmpty, s.weightsSHA256 != (try provider.weightsSHA256()) {
                throw CLIError.badInput("\(path) was computed with other Inception weights (SHA-256 \(s.weightsSHA256.prefix(12))…, "
                                        + "\(inceptionWeights) is \((try provider.weightsSHA256()).prefix(12))…): its FID would mean nothing")
            }
        }
        var statistics: [InceptionStatistics] = []
        for source in sources {
            switch source {
            case .statistics(let s):
                statistics.append(s)
            case let .folder(folder, files):
                logger.info("\(files.count) images in \(folder.path)")
                let progress = CountProgress(console: .current, label: "Inception features of \(folder.lastPathComponent)")
                let pool = try Self.poolFeatures(files, network: network, batchSize: batchSize, threads: threads) { progress.update($0, of: files.count) }
                statistics.append(InceptionStatistics(statistics: try FrechetDistance.Statistics(features: pool, name: folder.path), count: files.count,
                                                      weightsSHA256: try provider.weightsSHA256()))
            }
        }
        if let saveStats {
            do { try statistics[0].write(to: URL(fileURLWithPath: saveStats)) } catch { throw CLIError.failure("cannot write \(saveStats): \(error)") }
            Console.current.line("statistics of \(statistics[0].count) images written to \(saveStats)")
            return
        }
        let fid = try FrechetDistance.compute(statistics[0].statistics, statistics[1].statistics)
        let result = Result(fid: fid, imagesA: statistics[0].count, imagesB: statistics[1].count, weights: inceptionWeights)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            Console.current.line(String(decoding: try encoder.encode(result), as: UTF8.self))
        } else {
            Console.current.line("FID: \(String(format: "%.6f", fid)) (\(result.imagesA) and \(result.imagesB) images)")
        }
    }

    /// A folder to read, or statistics read already.
    enum Either {
        case folder(URL, [URL])
        case statistics(InceptionStatistics)
    }

    /// `[N, 2048]` pool features of `files`, decoded `batchSize` at a time; consecutive images of
    /// one size share a forward pass.
    static func poolFeatures(_ files: [URL], network: InceptionNetwork, batchSize: Int, threads: Int,
                             progress: (Int) -> Void) throws -> Tensor {
        var pool = Tensor(uninitializedShape: [files.count, InceptionNetwork.poolDimension])
        var start = 0
        while start < files.count {
            let images = try files[start..<min(files.count, start + batchSize)].map { url throws(CLIError) in
                do { return try ImageCodec.decode(Data(contentsOf: url), channels: 3, path: url.path) } catch { throw .badInput("\(error)") }
            }
            var run = 0
            while run < images.count {
                var end = run + 1
                while end < images.count, images[end].width == images[run].width, images[end].height == images[run].height { end += 1 }
                let features = try network.features(of: unitTensor(images[run..<end]), range: .unit, batchSize: batchSize, threads: threads)
                pool.replaceRows(startingAt: start + run, with: features.pool)
                run = end
            }
            start += images.count
            progress(start)
        }
        return pool
    }

    /// Interleaved RGB bytes of equal-sized images → `[n, 3, H, W]` in [0, 1] (p / 255, as torchvision's ToTensor).
    static func unitTensor(_ images: ArraySlice<DecodedImage>) -> Tensor {
        let (h, w) = (images.first!.height, images.first!.width)
        var out = Tensor(uninitializedShape: [images.count, 3, h, w])
        out.withUnsafeMutableBufferPointer { y in
            for (i, image) in images.enumerated() {
                for p in 0..<(h * w) { for c in 0..<3 { y[((i * 3 + c) * h * w) + p] = Float(image.pixels[3 * p + c]) / 255 } }
            }
        }
        return out
    }
}
