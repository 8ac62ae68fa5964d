import GANKitData
import GANKitTensor
import GANKitTraining
import Testing

/// 50 images of 2×3×3 bytes, image k filled with k.
private func indexedImages() throws -> PackedImages {
    try PackedImages(bytes: (0..<50).flatMap { [UInt8](repeating: UInt8($0), count: 18) }, count: 50, channels: 2, height: 3, width: 3)
}

@Test func packedImageBatchesEqualTheShuffledFloatBatches() throws {
    let images = try indexedImages()
    let packed = PackedImageSource(images: images)
    let floats = ShuffledDataSource(samples: images.floats())
    #expect(packed.sampleShape == [2, 3, 3])
    var a = DataCursor(stream: RandomStream(seed: 3)), b = a
    // Across three epochs (batches of 16 over 50 images), the prefetched batches are the ones
    // the cursor asks for.
    for _ in 0..<10 {
        let x = packed.nextBatch(16, cursor: &a), y = floats.nextBatch(16, cursor: &b)
        #expect(x.isBitwiseIdentical(to: y))
        #expect(a == b)
    }
    #expect(a.epoch == 3)
}

@Test func aCursorThatMovedElsewhereIsNotServedAStalePrefetch() throws {
    let images = try indexedImages()
    let packed = PackedImageSource(images: images)
    let floats = ShuffledDataSource(samples: images.floats())
    var cursor = DataCursor(stream: RandomStream(seed: 5))
    _ = packed.nextBatch(8, cursor: &cursor)  // prefetches the batch at position 8
    var restored = DataCursor(stream: RandomStream(seed: 5))  // as after a resume from the start
    var reference = restored
    #expect(packed.nextBatch(8, cursor: &restored).isBitwiseIdentical(to: floats.nextBatch(8, cursor: &reference)))
    // Another batch size from the same position is computed afresh too.
    var other = cursor, otherReference = cursor
    #expect(packed.nextBatch(5, cursor: &other).isBitwiseIdentical(to: floats.nextBatch(5, cursor: &otherReference)))
    // The batch values are the images' bytes as p/127.5 − 1: one whole epoch holds every image once.
    var fresh = DataCursor(stream: RandomStream(seed: 9))
    #expect(Set(packed.nextBatch(50, cursor: &fresh).scalars.map { (($0 + 1) * 127.5).rounded() }).count == 50)
}
