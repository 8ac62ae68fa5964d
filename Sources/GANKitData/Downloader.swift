import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Downloads data-set files, resumably, and never hands out a file it has not verified.
///
/// Bytes are appended to `<name>.part` as they arrive; an interrupted download resumes from the
/// part's length with an HTTP `Range` request (a server that ignores the range answers 200 and the
/// part is restarted). Only after the size and SHA-256 match is the part renamed to its final
/// name, so a file under its final name is always a verified one. A part that fails verification
/// is deleted, since resuming it could never succeed.
public struct Downloader: Sendable {
    /// Seconds without progress before a request fails.
    public var timeout: TimeInterval

    public init(timeout: TimeInterval = 60) { self.timeout = timeout }

    /// The verified file `file.name` in `directory`, downloading it first if it is missing or
    /// does not verify. Mirrors are tried in order; the last failure is thrown when all fail.
    @discardableResult
    public func fetch(_ file: RemoteFile, into directory: URL) async throws -> URL {
        let target = directory.appendingPathComponent(file.name)
        let part = directory.appendingPathComponent(file.name + ".part")
        let fm = FileManager.default
        if fm.fileExists(atPath: target.path) {
            if (try? verify(file, at: target)) != nil { return target }
            try? fm.removeItem(at: target)
        }
        do { try fm.createDirectory(at: directory, withIntermediateDirectories: true) } catch {
            throw DataError.unwritable(path: directory.path, reason: error.localizedDescription)
        }
        guard !file.urls.isEmpty else { throw DataError.invalidOption(name: "urls", value: "[]", allowed: "at least one URL for \(file.name)") }
        var lastError: Error = DataError.networkUnreachable(url: file.name, reason: "no URL tried")
        for url in file.urls {
            do {
                try await transfer(from: url, to: part, expectedSize: file.size)
                do { try verify(file, at: part) } catch {
                    try? fm.removeItem(at: part)
                    throw error
                }
                try? fm.removeItem(at: target)
                do { try fm.moveItem(at: part, to: target) } catch {
                    throw DataError.unwritable(path: target.path, reason: error.localizedDescription)
                }
                return target
            } catch {
                lastError = error
            }
        }
        throw lastError
    }

    /// Every file of `files` (e.g. `DatasetCatalogue.mnist`) into `directory`.
    public func fetchAll(_ files: [RemoteFile], into directory: URL) async throws -> [URL] {
        var out: [URL] = []
        for f in files { out.append(try await fetch(f, into: directory)) }
        return out
    }

    /// Checks size, then SHA-256, of the file at `url` against `file`'s expectations.
    public func verify(_ file: RemoteFile, at url: URL) throws {
        let size = try Self.size(of: url)
        if let expected = file.size, size != expected {
            throw DataError.sizeMismatch(path: url.path, expected: expected, found: size)
        }
        if let expected = file.sha256 {
            let found = try SHA256.hex(ofFileAt: url)
            guard found == expected else { throw DataError.checksumMismatch(path: url.path, expected: expected, found: found) }
        }
    }

    static func size(of url: URL) throws -> Int64 {
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
            return (attributes[.size] as? NSNumber)?.int64Value ?? 0
        } catch { throw DataError.unreadable(path: url.path, reason: "cannot stat") }
    }

    /// Appends the rest of `url` to `part`, starting at the part's current length.
    private func transfer(from url: URL, to part: URL, expectedSize: Int64?) async throws {
        let fm = FileManager.default
        if !fm.fileExists(atPath: part.path) { _ = fm.createFile(atPath: part.path, contents: nil) }
        var offset = try Self.size(of: part)
        if let expectedSize, offset > expectedSize {  // cannot be the right file: start over
            try? fm.removeItem(at: part)
            _ = fm.createFile(atPath: part.path, contents: nil)
            offset = 0
        }
        if let expectedSize, offset == expectedSize { return }  // complete, awaiting verification
        guard let handle = try? FileHandle(forWritingTo: part) else {
            throw DataError.unwritable(path: part.path, reason: "cannot open for writing")
        }
        defer { try? handle.close() }

        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        if offset > 0 { request.setValue("bytes=\(offset)-", forHTTPHeaderField: "Range") }
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        let delegate = TransferDelegate(handle: handle, offset: offset)
        let session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }

        let status: Int = try await withCheckedThrowingContinuation { continuation in
            delegate.begin(continuation)
            session.dataTask(with: request).resume()
        }
        switch status {
        case 200, 206: return
        case 416 where offset > 0: return  // the part already holds everything: verification decides
        default: throw DataError.httpStatus(url: url.absoluteString, status: status)
        }
    }
}

/// Streams a response body into the part file (called on the session's serial delegate queue).
private final class TransferDelegate: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    private let handle: FileHandle
    private let offset: Int64
    private var status = 0
    private var accepting = false
    private var failure: Error?
    private var continuation: CheckedContinuation<Int, Error>?
    private let lock = NSLock()

    init(handle: FileHandle, offset: Int64) {
        self.handle = handle
        self.offset = offset
    }

    func begin(_ continuation: CheckedContinuation<Int, Error>) {
        lock.lock(); defer { lock.unlock() }
        self.continuation = continuation
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        status = (response as? HTTPURLResponse)?.statusCode ?? 0
        do {
            switch status {
            case 206:
                // Accept only the range asked for; anything else would corrupt the part.
                let range = (response as? HTTPURLResponse)?.value(forHTTPHeaderField: "Content-Range") ?? ""
                if range.hasPrefix("bytes \(offset)-") {
                    try handle.seekToEnd()
                    accepting = true
                } else {
                    try handle.truncate(atOffset: 0)
                    failure = DataError.httpStatus(url: response.url?.absoluteString ?? "?", status: 206)
                    completionHandler(.cancel)
                    return
                }
            case 200:  // the whole file (the server ignored or was not sent a range)
                try handle.truncate(atOffset: 0)
                accepting = true
            default:
                accepting = false
            }
        } catch {
            failure = DataError.unwritable(path: "part file", reason: error.localizedDescription)
            completionHandler(.cancel)
            return
        }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        guard accepting, failure == nil else { return }
        do { try handle.write(contentsOf: data) } catch {
            failure = DataError.unwritable(path: "part file", reason: error.localizedDescription)
            dataTask.cancel()
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        lock.lock()
        let continuation = self.continuation
        self.continuation = nil
        lock.unlock()
        let url = task.originalRequest?.url?.absoluteString ?? "?"
        if let failure {
            continuation?.resume(throwing: failure)
        } else if let error {
            continuation?.resume(throwing: DataError.networkUnreachable(url: url, reason: error.localizedDescription))
        } else {
            try? handle.synchronize()
            continuation?.resume(returning: status)
        }
    }
}
