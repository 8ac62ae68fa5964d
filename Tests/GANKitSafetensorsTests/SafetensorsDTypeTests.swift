import Foundation
import GANKitTensor
import Testing
@testable import GANKitSafetensors

/// A one-tensor file of `dtype` holding `bytes`, and the Floats it must read as.
struct DTypeCase: Sendable, CustomTestStringConvertible {
    let dtype: SafetensorsDType
    let bytes: [UInt8]
    let expected: [Float]
    var testDescription: String { dtype.rawValue }
}

private let dtypeCases: [DTypeCase] = [
    DTypeCase(dtype: .f32, bytes: littleEndianBytes([Float(1.5).bitPattern, Float(-0.0).bitPattern]), expected: [1.5, -0.0]),
    DTypeCase(dtype: .f64, bytes: littleEndianBytes([Double(1.5).bitPattern, Double(0.1).bitPattern, Double(1e300).bitPattern]),
              expected: [1.5, 0.1, .infinity]),
    DTypeCase(dtype: .f16, bytes: littleEndianBytes([UInt16(0x3C00), 0xC000, 0x7BFF, 0x0001, 0x8000, 0xFC00]),
              expected: [1, -2, 65504, 0x1p-24, -0.0, -.infinity]),
    DTypeCase(dtype: .bf16, bytes: littleEndianBytes([UInt16(0x3F80), 0xC040, 0x7F80]), expected: [1, -3, .infinity]),
    DTypeCase(dtype: .i64, bytes: littleEndianBytes([Int64(-3), 1 << 40, (1 << 40) + 1]), expected: [-3, 0x1p40, 0x1p40]),
    DTypeCase(dtype: .i32, bytes: littleEndianBytes([Int32.min, 7]), expected: [-0x1p31, 7]),
    DTypeCase(dtype: .i16, bytes: littleEndianBytes([Int16(-300), 300]), expected: [-300, 300]),
    DTypeCase(dtype: .i8, bytes: [0x80, 0x7F], expected: [-128, 127]),
    DTypeCase(dtype: .u64, bytes: littleEndianBytes([UInt64.max]), expected: [0x1p64]),
    DTypeCase(dtype: .u32, bytes: littleEndianBytes([UInt32(4_000_000_000)]), expected: [4e9]),
    DTypeCase(dtype: .u16, bytes: littleEndianBytes([UInt16.max]), expected: [65535]),
    DTypeCase(dtype: .u8, bytes: [0, 128, 255], expected: [0, 128, 255]),
    DTypeCase(dtype: .bool, bytes: [0, 1, 2], expected: [0, 1, 1]),
]

@Test(arguments: dtypeCases)
func everyDTypeReadsAsTheNearestFloat(_ c: DTypeCase) throws {
    let count = c.bytes.count / c.dtype.byteSize
    let header = #"{"x":{"dtype":"\#(c.dtype.rawValue)","shape":[\#(count)],"data_offsets":[0,\#(c.bytes.count)]}}"#
    let tensor = try #require(try SafetensorsFile.decode(safetensorsBytes(header: header, data: c.bytes)).tensors["x"])
    #expect(tensor.shape == [count])
    #expect(tensor.scalars.map(\.bitPattern) == c.expected.map(\.bitPattern))
}

@Test func halfNaNStaysNaN() {
    #expect(SafetensorsDType.float(halfBits: 0x7E00).isNaN)
    #expect(SafetensorsDType.float(halfBits: 0xFC01).isNaN)
}

#if !(os(macOS) && arch(x86_64))
@Test func halfConversionMatchesFloat16ForEveryBitPattern() {
    for bits in UInt16.min...UInt16.max {
        let reference = Float(Float16(bitPattern: bits))
        let converted = SafetensorsDType.float(halfBits: bits)
        if reference.isNaN {
            #expect(converted.isNaN, "bits \(bits)")
        } else {
            #expect(converted.bitPattern == reference.bitPattern, "bits \(bits)")
        }
    }
}
#endif
