import Testing
@testable import GANKitReport

@Test func crc32cMatchesTheStandardCheckValue() {
    #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
    #expect(CRC32C.checksum([UInt8]()) == 0)
}

@Test func maskedCRCRotatesAndAddsTensorFlowsConstant() {
    let crc = CRC32C.checksum(Array("123456789".utf8))
    #expect(CRC32C.masked(Array("123456789".utf8)) == ((crc >> 15) | (crc << 17)) &+ 0xA282_EAD8)
}
