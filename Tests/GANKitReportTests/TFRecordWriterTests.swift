import Testing
@testable import GANKitReport

@Test func aRecordIsLengthCRCDataCRCLittleEndian() {
    let data: [UInt8] = [1, 2, 3]
    let framed = TFRecordWriter.frame(data)
    #expect(framed.count == 8 + 4 + 3 + 4)
    #expect(Array(framed[0..<8]) == [3, 0, 0, 0, 0, 0, 0, 0])
    let lengthCRC = UInt32(framed[8]) | UInt32(framed[9]) << 8 | UInt32(framed[10]) << 16 | UInt32(framed[11]) << 24
    #expect(lengthCRC == CRC32C.masked(Array(framed[0..<8])))
    #expect(Array(framed[12..<15]) == data)
    let dataCRC = UInt32(framed[15]) | UInt32(framed[16]) << 8 | UInt32(framed[17]) << 16 | UInt32(framed[18]) << 24
    #expect(dataCRC == CRC32C.masked(data))
}
