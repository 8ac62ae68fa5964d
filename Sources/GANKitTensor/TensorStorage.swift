#if canImport(CMalloc)
import CMalloc
#endif

/// Keeps freed tensor blocks in the process instead of returning them to the kernel: training
/// allocates and frees the same sizes every iteration, and glibc's defaults (mmap for large blocks,
/// trimming the heap on free) would turn each into page faults.
private let allocatorTuned: Bool = {
    #if canImport(CMalloc)
    mallopt(M_MMAP_THRESHOLD, 512 << 20)
    mallopt(M_TRIM_THRESHOLD, 1 << 30)
    #endif
    return true
}()

/// A contiguous, 64-byte aligned block of `Float`s owned by exactly one reference.
///
/// `Tensor` keeps one of these and copies it only when a shared block is about to be written
/// (copy-on-write), so passing tensors around and cloning modules never copies data by itself.
public final class TensorStorage: @unchecked Sendable {
    public let count: Int
    public let pointer: UnsafeMutablePointer<Float>

    /// Uninitialised storage: every caller writes all `count` elements before reading.
    public init(uninitializedCount count: Int) {
        _ = allocatorTuned
        self.count = count
        let raw = BufferPool.shared.take(byteCount: max(count, 1) * MemoryLayout<Float>.stride)
        pointer = raw.bindMemory(to: Float.self, capacity: max(count, 1))
    }

    public convenience init(repeating value: Float, count: Int) {
        self.init(uninitializedCount: count)
        pointer.initialize(repeating: value, count: count)
    }

    public func copy() -> TensorStorage {
        let other = TensorStorage(uninitializedCount: count)
        other.pointer.update(from: pointer, count: count)
        return other
    }

    deinit { BufferPool.shared.give(UnsafeMutableRawPointer(pointer), byteCount: max(count, 1) * MemoryLayout<Float>.stride) }
}
