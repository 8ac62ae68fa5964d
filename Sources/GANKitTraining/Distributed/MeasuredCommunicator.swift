import Foundation

/// A communicator that counts what passes through another: bytes each way and the seconds spent in
/// its calls (a receive's include waiting for the sender). For benchmarks of SGAN over ranks.
public final class MeasuredCommunicator: Communicator, @unchecked Sendable {
    public let base: any Communicator
    public private(set) var bytesSent = 0
    public private(set) var bytesReceived = 0
    /// Messages sent and received.
    public private(set) var messages = 0
    public private(set) var seconds = 0.0
    private let lock = NSLock()

    public init(_ base: any Communicator) { self.base = base }

    public var rank: Int { base.rank }
    public var size: Int { base.size }

    public func reset() {
        lock.withLock { (bytesSent, bytesReceived, messages, seconds) = (0, 0, 0, 0) }
    }

    public func send(_ message: [UInt8], to rank: Int, tag: Int) {
        let start = DispatchTime.now().uptimeNanoseconds
        base.send(message, to: rank, tag: tag)
        count(start) {
            bytesSent += message.count
            messages += 1
        }
    }

    public func receive(from rank: Int, tag: Int, patience: Patience) -> [UInt8] {
        let start = DispatchTime.now().uptimeNanoseconds
        let message = base.receive(from: rank, tag: tag, patience: patience)
        count(start) {
            bytesReceived += message.count
            messages += 1
        }
        return message
    }

    public func poll(from rank: Int, tag: Int) -> [UInt8]? {
        let start = DispatchTime.now().uptimeNanoseconds
        let message = base.poll(from: rank, tag: tag)
        count(start) {
            if let message {
                bytesReceived += message.count
                messages += 1
            }
        }
        return message
    }

    public func flush() {
        let start = DispatchTime.now().uptimeNanoseconds
        base.flush()
        count(start) {}
    }

    private func count(_ start: UInt64, _ update: () -> Void) {
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        lock.withLock {
            seconds += elapsed
            update()
        }
    }
}
