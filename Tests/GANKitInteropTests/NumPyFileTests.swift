import Foundation
import GANKitInterop
import GANKitTensor
import Testing

@Suite struct NumPyFileTests {
    @Test func float32ArraysRoundTrip() throws {
        let t = Tensor(shape: [3, 2], values: [1, -2, 3.5, .pi, 0, 1e-30])
        let back = try NumPyFile.decode(NumPyFile.encode(t), file: "a.npy")
        #expect(back.shape == [3, 2])
        #expect(back.isBitwiseIdentical(to: t))
    }

    /// A header as NumPy writes it, for the layouts `encode` never produces.
    static func file(descr: String, fortran: Bool = false, shape: String, body: [UInt8]) -> Data {
        var header = "{'descr': '\(descr)', 'fortran_order': \(fortran ? "True" : "False"), 'shape': \(shape), }"
        header += String(repeating: " ", count: (64 - (10 + header.utf8.count + 1) % 64) % 64) + "\n"
        return Data([0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)] + Array(header.utf8) + body)
    }

    @Test func float64IsConvertedAndOtherLayoutsAreRefusedByName() throws {
        let one = withUnsafeBytes(of: (1.5 as Double).bitPattern.littleEndian) { Array($0) }
        let t = try NumPyFile.decode(Self.file(descr: "<f8", shape: "(1, 1)", body: one), file: "d.npy")
        #expect(t.scalars == [1.5])
        func message(_ d: Data) -> String {
            do { _ = try NumPyFile.decode(d, file: "z.npy"); return "accepted" } catch { return error.description }
        }
        #expect(message(Self.file(descr: "<i4", shape: "(1,)", body: [0, 0, 0, 0])).contains("dtype '<i4'"))
        #expect(message(Self.file(descr: "<f4", fortran: true, shape: "(1,)", body: [0, 0, 0, 0])).contains("Fortran"))
        #expect(message(Self.file(descr: "<f4", shape: "(2, 3)", body: [0, 0, 0, 0])).contains("needs 24 bytes of data, the file has 4"))
        #expect(message(Data("hello".utf8)).contains("not a .npy file"))
    }

    /// Found by fuzzing (`scripts/fuzz npy`): a shape whose byte count overflows Int trapped
    /// (`count * width`) instead of being refused. The fuzzer's input, exactly: `<f8` and shape
    /// 9223372036854775807.
    @Test func shapesPastIntMaxAreRefused() throws {
        let fuzzed = Data(base64Encoded: "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzo5MjIzMzcyMDM2ODU0Nzc1ODA3ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgX0LiPWpe6z/qgw9btPjVPw==")!
        #expect(throws: InteropError.invalid("f.npy: shape [9223372036854775807] is too large to address")) {
            try NumPyFile.decode(fuzzed, file: "f.npy")
        }
        // The element count itself overflowing (not only the byte count).
        #expect(throws: InteropError.invalid("g.npy: shape [4294967296, 4294967296] is too large to address")) {
            try NumPyFile.decode(Self.file(descr: "<f4", shape: "(4294967296, 4294967296)", body: []), file: "g.npy")
        }
    }
}
