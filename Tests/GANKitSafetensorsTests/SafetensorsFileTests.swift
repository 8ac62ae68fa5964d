import Foundation
import GANKitTensor
import Testing
import GANKitSafetensors

private func sampleFile() -> SafetensorsFile {
    var stream = RandomStream(seed: 7)
    return SafetensorsFile(
        tensors: [
            "layers.0.weight": Tensor.normal([4, 3], using: &stream),
            "layers.0.bias": Tensor.normal([4], using: &stream),
            "step": Tensor(12),
            "empty": Tensor.zeros([2, 0, 3]),
            "special": Tensor(shape: [5], values: [.nan, .infinity, -.infinity, -0.0, .leastNonzeroMagnitude]),
            "ünïcødé \"quoted\"\n": Tensor(shape: [1, 1], values: [1]),
        ],
        metadata: ["format": "pt", "note": "tab\there, quote\", backslash\\, é, \u{01}"])
}

private func expectIdentical(_ a: SafetensorsFile, _ b: SafetensorsFile) {
    #expect(a.metadata == b.metadata)
    #expect(Set(a.tensors.keys) == Set(b.tensors.keys))
    for (name, tensor) in a.tensors {
        #expect(b.tensors[name]?.isBitwiseIdentical(to: tensor) == true, "tensor \(name) differs")
    }
}

@Test func encodedFileDecodesToIdenticalTensorsAndMetadata() throws {
    let original = sampleFile()
    expectIdentical(original, try SafetensorsFile.decode(try original.encoded()))
}

@Test func writtenFileReadsBackIdentically() throws {
    try withTemporaryFolder { folder in
        let url = folder.appendingPathComponent("model.safetensors")
        let original = sampleFile()
        try original.write(to: url)
        expectIdentical(original, try SafetensorsFile.read(from: url))
        try original.write(to: url, atomically: false)
        expectIdentical(original, try SafetensorsFile.read(from: url))
    }
}

@Test func encodingIsDeterministicWhateverTheInsertionOrder() throws {
    let original = sampleFile()
    var reordered = SafetensorsFile()
    for name in original.tensors.keys.sorted().reversed() { reordered.tensors[name] = original.tensors[name] }
    for key in original.metadata.keys.sorted().reversed() { reordered.metadata[key] = original.metadata[key] }
    #expect(try original.encoded() == reordered.encoded())
    #expect(try original.encoded() == original.encoded())
}

@Test func layoutIsSortedCompactJSONPaddedWithSpacesToEightBytesThenLittleEndianData() throws {
    let file = SafetensorsFile(tensors: ["b": Tensor(2), "a": Tensor(shape: [2], values: [1, -1])], metadata: ["format": "pt"])
    let header = #"{"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[],"data_offsets":[8,12]}}"#
    let padding = (8 - header.utf8.count % 8) % 8
    let expected = safetensorsBytes(
        header: header + String(repeating: " ", count: padding),
        data: littleEndianBytes([Float(1).bitPattern, Float(-1).bitPattern, Float(2).bitPattern]))
    #expect(try file.encoded() == expected)
    #expect((header.utf8.count + padding) % 8 == 0)
}

@Test func emptyFileHasEmptyHeaderObjectAndNoMetadataKey() throws {
    let data = try SafetensorsFile().encoded()
    #expect(data == safetensorsBytes(header: "{}      "))
    let decoded = try SafetensorsFile.decode(data)
    #expect(decoded.tensors.isEmpty && decoded.metadata.isEmpty)
}

@Test func scalarAndEmptyTensorsKeepTheirShapes() throws {
    let file = SafetensorsFile(tensors: ["scalar": Tensor(3.5), "none": Tensor.zeros([0]), "rows": Tensor.zeros([0, 4])])
    let decoded = try SafetensorsFile.decode(try file.encoded())
    #expect(decoded.tensors["scalar"]?.shape == [])
    #expect(decoded.tensors["scalar"]?.scalar == 3.5)
    #expect(decoded.tensors["none"]?.shape == [0])
    #expect(decoded.tensors["rows"]?.shape == [0, 4])
}

@Test func metadataRoundTripsAndNullMetadataReadsAsEmpty() throws {
    let file = SafetensorsFile(metadata: ["epoch": "3", "config": #"{"lr": 0.0002}"#, "": "empty key"])
    #expect(try SafetensorsFile.decode(try file.encoded()).metadata == file.metadata)
    #expect(try SafetensorsFile.decode(safetensorsBytes(header: #"{"__metadata__":null}"#)).metadata.isEmpty)
}

@Test func headersInAnyOrderWithWhitespaceAndUnknownFieldsAreRead() throws {
    // Python's writer orders by dtype then name; readers must not assume file order is offset order.
    let header = """
        { "b" : { "shape" : [ 1 ], "data_offsets" : [ 0 , 4 ], "dtype" : "F32", "extra": [true, null, {"x": -1.5e3}] },
          "a" : { "dtype" : "F32", "shape" : [ 1 ], "data_offsets" : [ 4, 8 ] } }
        """
    let file = try SafetensorsFile.decode(safetensorsBytes(header: header, data: littleEndianBytes([Float(2).bitPattern, Float(1).bitPattern])))
    #expect(file.tensors["a"]?.scalars == [1])
    #expect(file.tensors["b"]?.scalars == [2])
}

@Test func decodingASliceOfLargerDataWorks() throws {
    let encoded = try sampleFile().encoded()
    let padded = Data([0xAA, 0xBB]) + encoded
    expectIdentical(sampleFile(), try SafetensorsFile.decode(padded.dropFirst(2)))
}

@Test func randomlyTruncatedOrCorruptedFilesDecodeOrThrowButNeverCrash() throws {
    let valid = try sampleFile().encoded()
    let headerEnd = 8 + Int(valid.prefix(8).withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) })
    var stream = RandomStream(seed: 2024)
    var decoded = 0, rejected = 0
    for iteration in 0..<4000 {
        var bytes = [UInt8](valid)
        if iteration % 4 == 0 {
            bytes.removeLast(1 + stream.nextInt(below: bytes.count))
        } else {
            for _ in 0...stream.nextInt(below: 4) {
                // Mostly the length and header, where the structure is; sometimes the data.
                let position = stream.nextInt(below: 10) < 8 ? stream.nextInt(below: headerEnd) : stream.nextInt(below: bytes.count)
                if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) {
                    // Another digit keeps the JSON valid and reaches the shape and offset checks.
                    bytes[position] = UInt8(ascii: "0") + UInt8(stream.nextInt(below: 10))
                } else if stream.nextInt(below: 2) == 0 {
                    bytes[position] ^= UInt8(1) << UInt8(stream.nextInt(below: 8))
                } else {
                    bytes[position] = UInt8(stream.nextInt(below: 256))
                }
            }
        }
        do {
            let file = try SafetensorsFile.decode(Data(bytes))
            for tensor in file.tensors.values { #expect(tensor.count == tensor.shape.reduce(1, *)) }
            decoded += 1
        } catch {
            #expect(error is SafetensorsError, "iteration \(iteration) threw \(error)")
            rejected += 1
        }
    }
    #expect(decoded > 0 && rejected > 0, "decoded \(decoded), rejected \(rejected)")
}
