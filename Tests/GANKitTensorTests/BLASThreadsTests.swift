import Dispatch
import Synchronization
import Testing
@testable import GANKitTensor

/// OpenBLAS's products round differently at different thread counts, and the count is one per
/// process: a lease keeps two users at different counts from changing each other's numbers.
struct BLASThreadsTests {
    @Test func aLeaseSetsTheCountAndANestedOneHandsItBack() {
        BLAS.withThreads(2) {
            #expect(BLAS.threads == 2)
            BLAS.withThreads(1) { #expect(BLAS.threads == 1) }
            #expect(BLAS.threads == 2)
            BLAS.withThreads(2) { #expect(BLAS.threads == 2) }
        }
    }

    /// Two threads alternate between counts 1 and 2 while computing the same product: each
    /// result must equal the product computed alone at that count.
    @Test func concurrentUsersAtDifferentCountsGetTheirOwnRounding() {
        var rng = RandomStream(seed: 3)
        let a = Tensor.normal([64, 512], using: &rng), b = Tensor.normal([512, 512], using: &rng)
        let alone = [1, 2].map { count in BLAS.withThreads(count) { Tensor.matmul(a, b).scalars } }
        let violations = Atomic(0)
        DispatchQueue.concurrentPerform(iterations: 2) { worker in
            for round in 0..<100 {
                let count = (worker + round) % 2 + 1
                BLAS.withThreads(count) {
                    // Several products per lease: the other worker changes counts meanwhile.
                    for _ in 0..<3 where BLAS.threads != count || Tensor.matmul(a, b).scalars != alone[count - 1] {
                        violations.add(1, ordering: .relaxed)
                    }
                }
            }
        }
        #expect(violations.load(ordering: .relaxed) == 0)
    }
}
