import Foundation
import Synchronization

/// Recycles tensor blocks by exact size. A training iteration allocates and frees the same sizes
/// every time, so after the first iteration every large block comes from here: no page faults, no
/// fragmentation, and a peak memory that stays flat however long the run.
///
/// Each thread recycles through its own shard, so a block freed on one core is reused on that core
/// while it is still in its cache, and SGAN's concurrent players never contend for one lock.
final class BufferPool: @unchecked Sendable {
    static let shared = BufferPool()

    /// Blocks smaller than this go straight to malloc, which serves them well.
    static let minimumBytes = 16 << 10
    /// At most this many idle blocks of one size, and this many idle bytes, per shard (only the
    /// shards of threads that allocate hold any: one in serial training, one per SGAN worker).
    static let blocksPerSize = 32
    static let maximumIdleBytes = 1 << 30
    static let shardCount = 8

    private final class Shard: @unchecked Sendable {
        let lock = NSLock()
        var idle: [Int: [UnsafeMutableRawPointer]] = [:]
        var idleBytes = 0
    }

    private let shards = (0..<BufferPool.shardCount).map { _ in Shard() }
    private let nextShard = Atomic<Int>(0)
    private let shardKey: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    /// This thread's shard, assigned round-robin on the thread's first allocation.
    private var shard: Shard {
        var index = Int(bitPattern: pthread_getspecific(shardKey))
        if index == 0 {
            index = nextShard.wrappingAdd(1, ordering: .relaxed).oldValue % Self.shardCount + 1
            pthread_setspecific(shardKey, UnsafeRawPointer(bitPattern: index))
        }
        return shards[index - 1]
    }

    func take(byteCount: Int) -> UnsafeMutableRawPointer {
        if byteCount >= Self.minimumBytes {
            let shard = self.shard
            shard.lock.lock()
            let block = shard.idle[byteCount]?.popLast()
            if block != nil { shard.idleBytes -= byteCount }
            shard.lock.unlock()
            if let block { return block }
        }
        return UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: 64)
    }

    func give(_ block: UnsafeMutableRawPointer, byteCount: Int) {
        if byteCount >= Self.minimumBytes {
            let shard = self.shard
            shard.lock.lock()
            defer { shard.lock.unlock() }
            if shard.idleBytes + byteCount <= Self.maximumIdleBytes, shard.idle[byteCount, default: []].count < Self.blocksPerSize {
                shard.idle[byteCount, default: []].append(block)
                shard.idleBytes += byteCount
                return
            }
        }
        block.deallocate()
    }
}
