import Foundation
import GANKitTestSupport
import Testing
@testable import GANKitReport

@Test func eventFilesAreNamedLikeTensorBoardsAndStartWithTheVersionRecord() throws {
    let dir = try makeTemporaryDirectory()
    let writer = try TensorBoardEventWriter(directory: dir, wallTime: Date(timeIntervalSince1970: 1_700_000_000), host: "box")
    try writer.flush()
    #expect(writer.url.lastPathComponent == "events.out.tfevents.1700000000.box")
    let bytes = [UInt8](try Data(contentsOf: writer.url))
    #expect(String(decoding: bytes, as: UTF8.self).contains("brain.Event:2"))
}

@Test func aSecondWriterInTheSameSecondGetsItsOwnFile() throws {
    let dir = try makeTemporaryDirectory()
    let date = Date(timeIntervalSince1970: 1_700_000_000)
    let a = try TensorBoardEventWriter(directory: dir, wallTime: date, host: "box")
    let b = try TensorBoardEventWriter(directory: dir, wallTime: date, host: "box")
    #expect(a.url != b.url)
}

/// TensorBoard's own reader reads the scalars and images back. Requires python3 with
/// `tensorboard` (`pip install tensorboard`; scripts/setup installs it); set
/// GANKIT_SKIP_PYTHON_INTEROP=1 to skip where Python is unavailable.
@Test(.enabled(if: !ExternalProcess.skipPython, "GANKIT_SKIP_PYTHON_INTEROP=1"))
func tensorBoardsEventAccumulatorReadsScalarsAndImagesBack() throws {
    let dir = try makeTemporaryDirectory()
    let writer = try TensorBoardEventWriter(directory: dir)
    for step in 1...3 { try writer.addScalars([("loss/G", Float(step) * 0.5), ("loss/D", -Float(step))], step: step) }
    var canvas = Canvas(width: 5, height: 4)
    canvas.blend(1, 1, .black)
    try writer.addImage(tag: "samples", png: canvas.png(), width: 5, height: 4, channels: 3, step: 3)
    try writer.addText(tag: "samples/text", "    the cat é\n    sat", step: 3)
    try writer.flush()
    let result = try TensorBoardReader.read(dir)
    #expect(result.scalars["loss/G"]?.map(\.value) == [0.5, 1.0, 1.5])
    #expect(result.scalars["loss/D"]?.map(\.step) == [1, 2, 3])
    #expect(result.images["samples"]?.first?.width == 5)
    #expect(result.images["samples"]?.first?.height == 4)
    #expect(result.texts["samples/text"]?.first?.text == "    the cat é\n    sat")
    #expect(result.texts["samples/text"]?.first?.step == 3)
}

/// On resume, events past the checkpoint's iteration and a torn last record are dropped.
@Test func eventsAfterAStepAndATornTailAreDropped() throws {
    let dir = try makeTemporaryDirectory()
    let writer = try TensorBoardEventWriter(directory: dir)
    for step in 1...5 { try writer.addScalars([("loss/G", Float(step))], step: step) }
    try writer.flush()
    let handle = try FileHandle(forWritingTo: writer.url)
    try handle.seekToEnd()
    try handle.write(contentsOf: Data([9, 0, 0, 0, 0, 0, 0, 0, 1, 2]))  // a record cut short
    try handle.close()
    #expect(try TensorBoardEventFiles.dropEvents(after: 3, in: dir) == 2)
    let bytes = [UInt8](try Data(contentsOf: writer.url))
    var steps: [Int?] = [], offset = 0
    while let (record, next) = TensorBoardEventFiles.record(in: bytes, at: offset) {
        steps.append(TensorBoardEventFiles.eventStep(record))
        offset = next
    }
    #expect(offset == bytes.count)
    #expect(steps == [nil, 1, 2, 3])
    #expect(try TensorBoardEventFiles.dropEvents(after: 3, in: dir) == 0)
    if !ExternalProcess.skipPython {
        #expect(try TensorBoardReader.read(dir).scalars["loss/G"]?.map(\.step) == [1, 2, 3])
    }
}
