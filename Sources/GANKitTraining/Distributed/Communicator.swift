import Foundation
import GANKitTensor

/// Point-to-point messages between the processes of one job (an MPI job's ranks), delivered in
/// order for each sender and tag. GANKit's own MPI transport lives in `GANKitDistributed`;
/// `ThreadCommunicator` runs the same protocol between threads of one process.
///
/// A transport that loses a peer does not return: it reports the fault and ends the job, since an
/// iteration cannot continue with a player missing (the last checkpoint stays intact).
public protocol Communicator: AnyObject, Sendable {
    /// This process's rank, 0 ..< `size`; rank 0 coordinates.
    var rank: Int { get }
    var size: Int { get }
    /// Sends without waiting for the receiver.
    func send(_ message: [UInt8], to rank: Int, tag: Int)
    /// The next message from `rank` with `tag`, waiting for it: at most the transport's time
    /// limit (`.usual`), or as long as it takes (`.unlimited`: a rank waiting for rank 0's next
    /// command while rank 0 evaluates, which may take many minutes).
    func receive(from rank: Int, tag: Int, patience: Patience) -> [UInt8]
    /// The next message from `rank` with `tag` if it has arrived, without waiting.
    func poll(from rank: Int, tag: Int) -> [UInt8]?
    /// Waits until every message this process sent has been delivered.
    func flush()
}

/// How long a receive may wait.
public enum Patience: Sendable {
    case usual, unlimited
}

extension Communicator {
    /// The next message from `rank` with `tag`, waiting at most the transport's time limit.
    public func receive(from rank: Int, tag: Int) -> [UInt8] { receive(from: rank, tag: tag, patience: .usual) }
}

/// The ranks of a job as threads of one process: the same protocol as MPI ranks, for tests and
/// for checking a schedule without a launcher. Make one per job with `ThreadCommunicator.job(size:)`.
public final class ThreadCommunicator: Communicator, @unchecked Sendable {
    public let rank: Int
    public let size: Int
    private let mailbox: Mailbox

    /// One communicator per rank of a job of `size` ranks.
    public static func job(size: Int) -> [ThreadCommunicator] {
        let mailbox = Mailbox()
        return (0..<size).map { ThreadCommunicator(rank: $0, size: size, mailbox: mailbox) }
    }

    private init(rank: Int, size: Int, mailbox: Mailbox) {
        self.rank = rank
        self.size = size
        self.mailbox = mailbox
    }

    public func send(_ message: [UInt8], to destination: Int, tag: Int) {
        mailbox.post(message, key: .init(source: rank, destination: destination, tag: tag))
    }

    public func receive(from source: Int, tag: Int, patience: Patience) -> [UInt8] {
        let key = Mailbox.Key(source: source, destination: rank, tag: tag)
        if let message = mailbox.take(key: key, waiting: false) { return message }
        // The ranks share the process's BLAS lease: waiting for a rank while holding it could
        // keep that rank queued behind another count's request forever.
        return BLAS.withoutLease { mailbox.take(key: key) }
    }

    public func poll(from source: Int, tag: Int) -> [UInt8]? {
        mailbox.take(key: .init(source: source, destination: rank, tag: tag), waiting: false)
    }

    public func flush() {}

    private final class Mailbox: @unchecked Sendable {
        struct Key: Hashable { let source, destination, tag: Int }
        private var queues: [Key: [[UInt8]]] = [:]
        private let condition = NSCondition()

        func post(_ message: [UInt8], key: Key) {
            condition.lock()
            queues[key, default: []].append(message)
            condition.broadcast()
            condition.unlock()
        }

        func take(key: Key) -> [UInt8] { take(key: key, waiting: true)! }

        func take(key: Key, waiting: Bool) -> [UInt8]? {
            condition.lock()
            defer { condition.unlock() }
            while queues[key, default: []].isEmpty {
                guard waiting else { return nil }
                condition.wait()
            }
            return queues[key]!.removeFirst()
        }
    }
}
