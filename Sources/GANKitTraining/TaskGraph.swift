import Foundation

/// Runs a fixed set of tasks with dependencies on up to `threads` threads.
///
/// Each task writes only its own results (see `ResultSlots`), and the caller combines them in a
/// fixed order, so the numbers never depend on the schedule: parallel and serial runs are
/// bit-identical.
final class TaskGraph: @unchecked Sendable {
    private var work: [() -> Void] = []
    private var dependencies: [[Int]] = []
    private var started: [Bool] = []
    private var finished: [Bool] = []
    private let condition = NSCondition()

    /// Adds a task that may start once every task in `after` has finished; returns its index.
    @discardableResult
    func add(after: [Int] = [], _ body: @escaping () -> Void) -> Int {
        work.append(body)
        dependencies.append(after)
        return work.count - 1
    }

    /// Runs every task; ready tasks start in the order they were added.
    func run(threads: Int) {
        if threads <= 1 || work.count <= 1 {
            for task in work { task() }  // insertion order is a valid topological order
            return
        }
        started = [Bool](repeating: false, count: work.count)
        finished = started
        DispatchQueue.concurrentPerform(iterations: min(threads, work.count)) { _ in
            while let index = claimNext() {
                work[index]()
                condition.lock()
                finished[index] = true
                condition.broadcast()
                condition.unlock()
            }
        }
    }

    /// The first unstarted task whose dependencies are done, waiting while none is ready; nil
    /// when every task has started.
    private func claimNext() -> Int? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            guard started.contains(false) else { return nil }
            if let i = started.indices.first(where: { !started[$0] && dependencies[$0].allSatisfy { finished[$0] } }) {
                started[i] = true
                return i
            }
            condition.wait()
        }
    }
}

/// One result slot per task, written by that task only. The slots live in a buffer allocated once,
/// so concurrent tasks writing different slots never touch shared bookkeeping.
final class ResultSlots<Value>: @unchecked Sendable {
    private let slots: UnsafeMutablePointer<Value?>
    let count: Int

    init(count: Int) {
        self.count = count
        slots = UnsafeMutablePointer<Value?>.allocate(capacity: count)
        slots.initialize(repeating: nil, count: count)
    }

    deinit {
        slots.deinitialize(count: count)
        slots.deallocate()
    }

    subscript(i: Int) -> Value? {
        get { slots[i] }
        set { slots[i] = newValue }
    }

    /// Every result, in task order (all tasks must have run).
    var all: [Value] { (0..<count).map { slots[$0]! } }
}
