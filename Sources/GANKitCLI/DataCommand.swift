import ArgumentParser
import Dispatch
import Foundation
import GANKitData

/// `gankit data`: the public image data sets, fetched where `gankit train` looks for them.
struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data", abstract: "Fetch and check the public data sets.", subcommands: [Prepare.self, List.self])

    /// The data sets the catalogue can fetch.
    enum Name: String, ExpressibleByArgument, CaseIterable {
        case mnist, fashionMNIST = "fashion-mnist", cifar10

        var files: [RemoteFile] {
            switch self {
            case .mnist: DatasetCatalogue.mnist
            case .fashionMNIST: DatasetCatalogue.fashionMNIST
            case .cifar10: DatasetCatalogue.cifar10Binary
            }
        }

        var dataset: DatasetName { DatasetName(rawValue: rawValue)! }
    }

    /// `gankit data prepare NAME`: downloads (resumably) and verifies the files, then reads them
    /// once so that a later `gankit train` cannot fail on them.
    struct Prepare: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Download and verify a data set (mnist, fashion-mnist, cifar10) into the folder training reads.")

        @Argument(help: "mnist, fashion-mnist or cifar10.") var name: Name
        @Option(help: "Folder to put it in (default $GANKIT_DATASETS_DIR/<name> or ../shared/datasets/<name>, where --data-dir looks).")
        var dir: String?
        @Option(help: ArgumentHelp("Fetch from this base URL instead of the publishers' (a mirror or a local server): BASE/<file name>.", valueName: "BASE"))
        var mirror: String?
        @Option(help: "Seconds without progress before a download fails.") var timeout: Double = 60

        func run() throws {
            let console = Console.current
            let directory = URL(fileURLWithPath: dir ?? TrainOptions.defaultDataDirectory(for: name.dataset)).standardizedFileURL
            var files = name.files
            if let mirror {
                guard let base = URL(string: mirror.hasSuffix("/") ? mirror : mirror + "/"), base.scheme == "http" || base.scheme == "https" else {
                    throw CLIError.badInput("invalid --mirror: \(mirror) is not an http or https URL")
                }
                files = files.map { RemoteFile(name: $0.name, urls: [base.appendingPathComponent($0.name)], size: $0.size, sha256: $0.sha256) }
            }
            guard timeout > 0, timeout.isFinite else { throw CLIError.badInput("invalid --timeout: must be a positive number of seconds (got \(timeout))") }
            let downloader = Downloader(timeout: timeout)
            for file in files {
                let size = file.size.map { String(format: " (%.1f MB)", Double($0) / 1e6) } ?? ""
                console.line("\(file.name)\(size): \(file.sha256 == nil ? "size" : "size and SHA-256") checked")
                do {
                    _ = try blocking { try await downloader.fetch(file, into: directory) }
                } catch let error as DataError {
                    throw CLIError.failure("cannot fetch \(file.name): \(error)")
                }
            }
            let count: Int
            do {
                switch name {
                case .mnist, .fashionMNIST: count = try ImageDataset.mnistLike(directory: directory, split: .train).count
                case .cifar10: count = try CIFAR10Reader.packed(location: directory, split: .train).count
                }
            } catch { throw CLIError.failure("the files in \(directory.path) were fetched but cannot be read: \(error)") }
            console.line("\(name.rawValue) ready in \(directory.path): \(count) training images")
            if dir != nil, directory.path != URL(fileURLWithPath: TrainOptions.defaultDataDirectory(for: name.dataset)).standardizedFileURL.path {
                console.line("train on it with: gankit train --dataset \(name.rawValue) --data-dir \(directory.path)")
            }
        }
    }

    /// `gankit data list`: each data set, its files and whether they are in place.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the data sets `data prepare` fetches and where training looks for them.")

        func run() throws {
            let console = Console.current
            for name in Name.allCases {
                let directory = URL(fileURLWithPath: TrainOptions.defaultDataDirectory(for: name.dataset)).standardizedFileURL
                let present = name.files.filter { FileManager.default.fileExists(atPath: directory.appendingPathComponent($0.name).path) }.count
                let bytes = name.files.compactMap(\.size).reduce(0, +)
                console.line("\(name.rawValue): \(present) of \(name.files.count) files in \(directory.path)"
                             + String(format: " (%.1f MB in all)", Double(bytes) / 1e6))
            }
        }
    }
}

/// Runs async `work` to completion from synchronous code (the commands are synchronous).
///
/// The work runs on a thread of its own (`DedicatedExecutor`), not on Swift's cooperative pool:
/// the caller may itself hold one of that pool's few threads (a test, an async caller), and a
/// task queued behind it would then never start.
func blocking<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) throws -> T {
    let box = ResultBox<T>(), done = DispatchSemaphore(value: 0)
    let executor = DedicatedExecutor()
    Task(executorPreference: executor) {
        do { box.result = .success(try await work()) } catch { box.result = .failure(error) }
        done.signal()
    }
    done.wait()
    executor.finish()
    return try box.result!.get()
}

/// The result handed from the task to the waiting thread (written once, before the signal).
private final class ResultBox<T>: @unchecked Sendable {
    var result: Result<T, Error>?
}

/// Runs a task's jobs one after another on a thread of its own, started for it and ended after it.
///
/// A real thread, not a dispatch queue: libdispatch services queues from a worker pool that it
/// grows slowly on a loaded machine, which is exactly when the callers hold the cooperative
/// threads. Jobs enqueued after `finish` (none are expected) go to a global queue, never lost.
private final class DedicatedExecutor: TaskExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var finished = false

    init() {
        let thread = Thread { [self] in serve() }
        thread.name = "gankit.blocking"
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        defer { condition.unlock() }
        if finished {
            DispatchQueue.global().async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
            return
        }
        jobs.append(job)
        condition.signal()
    }

    /// Lets the thread end once the jobs queued so far have run.
    func finish() {
        condition.lock()
        finished = true
        condition.signal()
        condition.unlock()
    }

    private func serve() {
        while true {
            condition.lock()
            while jobs.isEmpty && !finished { condition.wait() }
            guard !jobs.isEmpty else { condition.unlock(); return }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
