import COpenBLAS
import Foundation

extension BLAS {
    /// Runs `body` with OpenBLAS on `count` threads, so that its products round the same way on
    /// every run.
    ///
    /// OpenBLAS keeps one thread count for the whole process, and its GEMMs block their work by
    /// thread, so the same product rounds differently at 1 and at 2 threads. Two trainers in one
    /// process (tests running side by side, several seeds at once) would otherwise change each
    /// other's numbers. Holders of the same count run together; a different count waits until
    /// they are done. A nested call hands its caller's lease back while it runs.
    public static func withThreads<R>(_ count: Int, _ body: () throws -> R) rethrows -> R {
        let count = max(1, count)
        let outer = heldThreads
        if outer == count { return try body() }
        if outer != nil { ThreadLease.shared.release() }
        ThreadLease.shared.acquire(count)
        defer {
            ThreadLease.shared.release()
            if let outer { ThreadLease.shared.acquire(outer) }
        }
        return try $heldThreads.withValue(count, operation: body)
    }

    /// Runs `body`, which waits and computes nothing, with this task's lease handed back, then
    /// takes the lease again.
    ///
    /// Holders that wait on each other while holding deadlock as soon as a request at another
    /// count queues between them: in-process ranks exchanging messages would otherwise hold the
    /// lease while one waits for a rank that queued behind that request.
    public static func withoutLease<R>(_ body: () throws -> R) rethrows -> R {
        guard let held = heldThreads else { return try body() }
        ThreadLease.shared.release()
        defer { ThreadLease.shared.acquire(held) }
        return try $heldThreads.withValue(nil, operation: body)
    }

    /// The count this task holds a lease on, if any.
    @TaskLocal static var heldThreads: Int?
}

/// Who is using OpenBLAS's thread count, and at which value.
private final class ThreadLease: @unchecked Sendable {
    static let shared = ThreadLease()
    private let condition = NSCondition()
    private var count = 0
    private var holders = 0
    /// Requests waiting: while there are any, newcomers at the current count queue behind them,
    /// so that a run at another count cannot be starved.
    private var waiting = 0
    /// Counts the groups of holders: one starts whenever the lease is taken while free.
    private var group = 0

    func acquire(_ wanted: Int) {
        condition.lock()
        defer { condition.unlock() }
        if holders > 0 && (count != wanted || waiting > 0) {
            // Join the first group at `wanted` that starts after this request.
            waiting += 1
            let requested = group
            while holders > 0 && !(count == wanted && group != requested) { condition.wait() }
            waiting -= 1
        }
        if holders == 0 {
            group += 1
            if count != wanted {
                openblas_set_num_threads(Int32(wanted))
                count = wanted
            }
        }
        holders += 1
    }

    func release() {
        condition.lock()
        holders -= 1
        if holders == 0 { condition.broadcast() }
        condition.unlock()
    }
}
