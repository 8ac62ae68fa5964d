import COpenMPI
import Foundation
import GANKitTraining

/// The ranks of an Open MPI job (`mpirun -np K gankit …`) as a `Communicator`.
///
/// Messages are byte arrays sent without blocking (`MPI_Isend`) and received by polling
/// (`MPI_Iprobe`), so that no wait is unbounded: a rank that sends nothing within `timeout`
/// seconds ends the job with an error naming it, rather than leaving the others waiting forever.
/// Calls are serialised (`MPI_THREAD_SERIALIZED`): the schedule's tasks run on threads.
public final class MPICommunicator: Communicator, @unchecked Sendable {
    public let rank: Int
    public let size: Int
    /// Seconds a receive waits for its message before the job is ended.
    public let timeout: Double
    private let lock = NSLock()
    /// Sends in flight and the buffers they read from.
    private var pending: [(request: MPI_Request?, buffer: UnsafeMutableRawPointer?)] = []

    /// True in a process that `mpirun` (or another Open MPI launcher) started.
    public static var isLaunched: Bool { ProcessInfo.processInfo.environment["OMPI_COMM_WORLD_SIZE"] != nil }

    /// The process's rank as the launcher set it, before MPI is initialised (nil outside a job).
    public static var launchedRank: Int? { ProcessInfo.processInfo.environment["OMPI_COMM_WORLD_RANK"].flatMap(Int.init) }

    /// Initialises MPI (once per process). Fails with Open MPI's message when it cannot start.
    public init(timeout: Double = 600) throws(MPIError) {
        var provided: Int32 = 0
        var initialised: Int32 = 0
        MPI_Initialized(&initialised)
        if initialised == 0 {
            try Self.check(MPI_Init_thread(nil, nil, Int32(MPI_THREAD_SERIALIZED), &provided), "MPI_Init_thread")
            guard provided >= Int32(MPI_THREAD_SERIALIZED) else {
                throw MPIError("this Open MPI provides thread level \(provided); GANKit needs MPI_THREAD_SERIALIZED")
            }
        }
        MPI_Comm_set_errhandler(gankit_mpi_comm_world(), gankit_mpi_errors_return())
        var r: Int32 = 0, s: Int32 = 0
        MPI_Comm_rank(gankit_mpi_comm_world(), &r)
        MPI_Comm_size(gankit_mpi_comm_world(), &s)
        rank = Int(r)
        size = Int(s)
        self.timeout = timeout
    }

    public func send(_ message: [UInt8], to destination: Int, tag: Int) {
        lock.lock()
        defer { lock.unlock() }
        let buffer = message.isEmpty ? nil : UnsafeMutableRawPointer.allocate(byteCount: message.count, alignment: 16)
        message.withUnsafeBytes { if let b = buffer { b.copyMemory(from: $0.baseAddress!, byteCount: $0.count) } }
        var request: MPI_Request? = gankit_mpi_request_null()
        let code = MPI_Isend(buffer, Int32(message.count), gankit_mpi_byte(), Int32(destination), Int32(tag), gankit_mpi_comm_world(), &request)
        if code != MPI_SUCCESS { fault("cannot send \(message.count) bytes to rank \(destination): \(Self.describe(code))") }
        pending.append((request, buffer))
        completeSends()
    }

    public func receive(from source: Int, tag: Int, patience: Patience) -> [UInt8] {
        receive(from: source, tag: tag, timeout: patience == .usual ? timeout : nil)
    }

    /// The next message from `source` with `tag`, waiting at most `timeout` seconds (nil: no limit).
    public func receive(from source: Int, tag: Int, timeout: Double?) -> [UInt8] {
        let start = Date()
        var pause: UInt32 = 0
        while true {
            if let message = poll(from: source, tag: tag) { return message }
            lock.lock()
            completeSends()
            lock.unlock()
            if let timeout, Date().timeIntervalSince(start) > timeout {
                fault("rank \(source) sent nothing for \(Int(timeout)) s (it stopped or hangs)")
            }
            // Poll, yielding the core, for the first millisecond (most messages of an iteration
            // arrive within it, and a sleep costs ~60 µs more), then back off to sleeps of at most
            // 0.2 ms, so that a waiting rank does not take a core a working one needs.
            if Date().timeIntervalSince(start) < 0.001 {
                sched_yield()
            } else {
                usleep(pause)
                pause = min(200, max(10, pause * 2))
            }
        }
    }

    public func poll(from source: Int, tag: Int) -> [UInt8]? {
        lock.lock()
        defer { lock.unlock() }
        var flag: Int32 = 0
        var status = MPI_Status()
        let code = MPI_Iprobe(Int32(source), Int32(tag), gankit_mpi_comm_world(), &flag, &status)
        if code != MPI_SUCCESS { fault("cannot wait for rank \(source): \(Self.describe(code))") }
        guard flag != 0 else { return nil }
        var count: Int32 = 0
        MPI_Get_count(&status, gankit_mpi_byte(), &count)
        var message = [UInt8](repeating: 0, count: Int(count))
        let received = message.withUnsafeMutableBytes {
            MPI_Recv($0.baseAddress, count, gankit_mpi_byte(), Int32(source), Int32(tag), gankit_mpi_comm_world(), gankit_mpi_status_ignore())
        }
        if received != MPI_SUCCESS { fault("cannot receive from rank \(source): \(Self.describe(received))") }
        return message
    }

    public func flush() {
        let start = Date()
        while true {
            lock.lock()
            completeSends()
            let done = pending.isEmpty
            lock.unlock()
            if done { return }
            if Date().timeIntervalSince(start) > timeout { fault("a message was not taken for \(Int(timeout)) s (a rank stopped or hangs)") }
            usleep(20)
        }
    }

    /// Frees the buffers of completed sends (the lock is held).
    private func completeSends() {
        pending.removeAll { entry in
            var request = entry.request
            var done: Int32 = 0
            let code = MPI_Test(&request, &done, gankit_mpi_status_ignore())
            if code != MPI_SUCCESS { fault("a send failed: \(Self.describe(code))") }
            if done != 0 { entry.buffer?.deallocate() }
            return done != 0
        }
    }

    /// Ends MPI in this process: every rank calls it once the job's work is done.
    public func finalize() {
        flush()
        MPI_Finalize()
    }

    /// A lost peer: the job cannot continue. Says so on this rank, then ends every rank
    /// (checkpoints are written atomically, so the last one stays intact).
    private func fault(_ message: String) -> Never {
        FileHandle.standardError.write(Data("gankit: rank \(rank) of \(size): \(message); the job stops (the last checkpoint is intact)\n".utf8))
        MPI_Abort(gankit_mpi_comm_world(), 3)
        exit(3)
    }

    private static func describe(_ code: Int32) -> String {
        var text = [CChar](repeating: 0, count: Int(MPI_MAX_ERROR_STRING) + 1)
        var length: Int32 = 0
        MPI_Error_string(code, &text, &length)
        return String(decoding: text.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func check(_ code: Int32, _ call: String) throws(MPIError) {
        if code != MPI_SUCCESS { throw MPIError("\(call) failed: \(describe(code))") }
    }
}

/// MPI could not start or does not fit this run.
public struct MPIError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
