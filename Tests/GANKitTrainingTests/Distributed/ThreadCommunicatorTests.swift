import Foundation
import GANKitTensor
import GANKitTraining
import Testing

/// In-process ranks share the process's BLAS lease (`BLAS.withThreads`) with everything else the
/// process runs, such as tests side by side.
struct ThreadCommunicatorTests {
    /// Rank 0 holds the lease at one thread and waits for rank 1's message; a user at two threads
    /// then queues for the lease, and rank 1 asks for it after that user. Were rank 0 to keep the
    /// lease while it waits, rank 1 would queue behind the two-thread user, which waits for rank
    /// 0: a deadlock, as the full test suite once hit. Waiting hands the lease back.
    @Test func aRankWaitingForAMessageDoesNotHoldTheLeaseAgainstTheSender() {
        let ranks = ThreadCommunicator.job(size: 2)
        let rank0Holds = DispatchSemaphore(value: 0), otherCountAsked = DispatchSemaphore(value: 0)
        let finished = DispatchGroup()
        func run(_ body: @escaping @Sendable () -> Void) {
            finished.enter()
            Thread { body(); finished.leave() }.start()
        }
        run {
            BLAS.withThreads(1) {
                rank0Holds.signal()
                #expect(ranks[0].receive(from: 1, tag: 7) == [42])
                #expect(BLAS.threads == 1)
            }
        }
        rank0Holds.wait()
        run {
            otherCountAsked.signal()
            BLAS.withThreads(2) { #expect(BLAS.threads == 2) }
        }
        otherCountAsked.wait()
        // Give the two-thread request time to queue: the order that deadlocked.
        Thread.sleep(forTimeInterval: 0.2)
        run { BLAS.withThreads(1) { ranks[1].send([42], to: 0, tag: 7) } }
        #expect(finished.wait(timeout: .now() + 60) == .success, "the ranks and the other user deadlocked on the BLAS lease")
    }
}
