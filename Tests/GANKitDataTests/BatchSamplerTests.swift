import Foundation
import GANKitData
import GANKitTensor
import Testing

@Test func eachEpochVisitsEveryItemOnceInAFreshOrder() throws {
    var sampler = try BatchSampler(count: 10, batchSize: 5, stream: RandomStream(seed: 1))
    let epoch0 = sampler.nextIndices() + sampler.nextIndices()
    let epoch1 = sampler.nextIndices() + sampler.nextIndices()
    #expect(epoch0.sorted() == Array(0..<10) && epoch1.sorted() == Array(0..<10))
    #expect(epoch0 != epoch1)
    #expect(sampler.epoch == 1 && sampler.position == 10)
}

@Test func lastIncompleteBatchIsDroppedByDefaultAndKeptOnRequest() throws {
    var dropping = try BatchSampler(count: 7, batchSize: 3, stream: RandomStream(seed: 2))
    #expect(dropping.batchesPerEpoch == 2)
    _ = dropping.nextIndices(); _ = dropping.nextIndices()
    #expect(dropping.nextIndices().count == 3 && dropping.epoch == 1)
    var keeping = try BatchSampler(count: 7, batchSize: 3, dropLast: false, stream: RandomStream(seed: 2))
    #expect(keeping.batchesPerEpoch == 3)
    let sizes: [Int] = (0..<3).map { _ in keeping.nextIndices().count }
    #expect(sizes == [3, 3, 1])
    #expect(keeping.epoch == 0)
}

@Test func encodedSamplerResumesWithExactlyTheSameBatches() throws {
    var original = try BatchSampler(count: 13, batchSize: 4, stream: RandomStream(seed: 3).derived("data"))
    for _ in 0..<5 { _ = original.nextIndices() }
    let saved = try JSONEncoder().encode(original)
    var restored = try JSONDecoder().decode(BatchSampler.self, from: saved)
    #expect(restored == original)
    for _ in 0..<20 { #expect(restored.nextIndices() == original.nextIndices()) }
}

@Test func nextBatchGathersTheRowsOfTheIndices() throws {
    let data = Tensor(shape: [4, 2], values: [0, 0, 1, 1, 2, 2, 3, 3])
    var a = try BatchSampler(count: 4, batchSize: 2, stream: RandomStream(seed: 4))
    var b = a
    let rows = try a.nextBatch(from: data)
    let idx = b.nextIndices()
    #expect(rows.scalars == idx.flatMap { [Float($0), Float($0)] })
    #expect(throws: DataError.self) { try a.nextBatch(from: Tensor.zeros([5, 2])) }
}

@Test func invalidSizesAreRejected() {
    #expect(throws: DataError.self) { try BatchSampler(count: 0, batchSize: 1, stream: RandomStream(seed: 0)) }
    #expect(throws: DataError.self) { try BatchSampler(count: 3, batchSize: 4, stream: RandomStream(seed: 0)) }
    #expect(throws: (any Error).self) {
        try JSONDecoder().decode(BatchSampler.self, from: Data(#"{"count":3,"batchSize":2,"dropLast":true,"epoch":0,"position":9,"epochStream":{"key":1,"state":[1,2,3,4]}}"#.utf8))
    }
}
