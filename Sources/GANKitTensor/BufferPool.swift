import Foundation

/// Recycles tensor blocks by exact size. A training iteration allocates and frees the same sizes
/// every time, so after the first iteration every large block comes from here: no page faults, no
/// fragmentation, and a peak memory that stays flat however long the run.
final class BufferPool: @unchecked Sendable {
    static let shared = BufferPool()

    /// Blocks smaller than this go straight to malloc, which serves them well.
    static let minimumBytes = 16 << 10
    /// At most this many idle blocks of one size, and this many idle bytes in all.
    static let blocksPerSize = 32
    static let maximumIdleBytes = 1 << 30

    private let lock = NSLock()
    private var idle: [Int: [UnsafeMutableRawPointer]] = [:]
    private var idleBytes = 0

    func take(byteCount: Int) -> UnsafeMutableRawPointer {
        if byteCount >= Self.minimumBytes {
            lock.lock()
            let block = idle[byteCount]?.popLast()
            if block != nil { idleBytes -= byteCount }
            lock.unlock()
            if let block { return block }
        }
        return UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: 64)
    }

    func give(_ block: UnsafeMutableRawPointer, byteCount: Int) {
        if byteCount >= Self.minimumBytes {
            lock.lock()
            defer { lock.unlock() }
            if idleBytes + byteCount <= Self.maximumIdleBytes, idle[byteCount, default: []].count < Self.blocksPerSize {
                idle[byteCount, default: []].append(block)
                idleBytes += byteCount
                return
            }
        }
        block.deallocate()
    }
}
