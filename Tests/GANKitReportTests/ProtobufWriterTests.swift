import Testing
@testable import GANKitReport

@Test func varintsAndKeysFollowTheProtobufWireFormat() {
    var w = ProtobufWriter()
    w.int64(2, 300)  // key (2 << 3 | 0) = 0x10, 300 = 0xAC 0x02
    #expect(w.bytes == [0x10, 0xAC, 0x02])
}

@Test func negativeIntegersTakeTenBytes() {
    var w = ProtobufWriter()
    w.int64(1, -1)
    #expect(w.bytes.count == 11)
}

@Test func nestedMessagesAreLengthDelimited() {
    var w = ProtobufWriter()
    w.message(5) { $0.string(1, "ab") }
    #expect(w.bytes == [0x2A, 4, 0x0A, 2, 0x61, 0x62])
}

@Test func floatsAndDoublesAreFixedWidthLittleEndian() {
    var w = ProtobufWriter()
    w.float(2, 1)
    w.double(1, 1)
    #expect(w.bytes == [0x15, 0, 0, 0x80, 0x3F, 0x09, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F])
}
