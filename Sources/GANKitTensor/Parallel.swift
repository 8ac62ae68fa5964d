import Dispatch

/// Intra-operation parallelism for GANKit's own loops (layout changes, unfolding, batch
/// normalisation), on as many threads as OpenBLAS may use: when GEMMs run on two cores, the
/// memory-bound work between them should too. SGAN's workers set BLAS to one thread, which keeps
/// these loops serial inside them, so cores are never oversubscribed.
public enum Parallel {
    /// A thread count that replaces BLAS's within a task (tests compare 1 and 2 threads with it).
    @TaskLocal static var threadsOverride: Int?

    /// Runs `body` over contiguous chunks that partition `0..<count`, one chunk per thread, when
    /// each chunk gets at least `grain` items (serially otherwise). Chunks must write disjoint
    /// outputs; each item's result is then the same whatever the thread count.
    @inline(__always)
    public static func forEachChunk(of count: Int, grain: Int, _ body: (Range<Int>) -> Void) {
        let threads = min(threadsOverride ?? BLAS.threads, count / max(1, grain))
        if threads <= 1 { body(0..<count); return }
        withoutActuallyEscaping(body) { body in
            let chunk = ChunkBody(run: body)  // chunks are disjoint by contract
            DispatchQueue.concurrentPerform(iterations: threads) { t in
                chunk.run((t * count / threads)..<((t + 1) * count / threads))
            }
        }
    }

    /// Below about this many floats of work per thread, handing a chunk to another thread costs
    /// more than it saves.
    public static let minimumFloatsPerThread = 16_384

    /// The grain for items of `floatsPerItem` floats each.
    @inline(__always)
    public static func grain(floatsPerItem: Int) -> Int { max(1, minimumFloatsPerThread / max(1, floatsPerItem)) }

    private struct ChunkBody: @unchecked Sendable {
        let run: (Range<Int>) -> Void
    }
}
