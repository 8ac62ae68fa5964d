import Foundation
import GANKitTensor
import Testing
import GANKitSafetensors

private let weights = SafetensorsFile(tensors: ["w": Tensor(shape: [2], values: [1, 2])], metadata: ["epoch": "1"])

@Test func atomicWriteLeavesOnlyTheDestination() throws {
    try withTemporaryFolder { folder in
        let url = folder.appendingPathComponent("model.safetensors")
        try weights.write(to: url)
        #expect(try contents(of: folder) == ["model.safetensors"])
        #expect(try Data(contentsOf: url) == weights.encoded())
    }
}

@Test func atomicWriteReplacesAnExistingFile() throws {
    try withTemporaryFolder { folder in
        let url = folder.appendingPathComponent("model.safetensors")
        try Data("old checkpoint".utf8).write(to: url)
        try weights.write(to: url)
        #expect(try Data(contentsOf: url) == weights.encoded())
        #expect(try contents(of: folder) == ["model.safetensors"])
    }
}

@Test func failedEncodingDoesNotTouchTheDestination() throws {
    try withTemporaryFolder { folder in
        let url = folder.appendingPathComponent("model.safetensors")
        try weights.write(to: url)
        let invalid = SafetensorsFile(tensors: ["__metadata__": Tensor(1)])
        #expect(throws: SafetensorsError.reservedName(file: url.path, name: "__metadata__")) { try invalid.write(to: url) }
        #expect(try Data(contentsOf: url) == weights.encoded())
        #expect(try contents(of: folder) == ["model.safetensors"])
    }
}

@Test func failedRenameRemovesTheTemporaryFileAndKeepsTheDestination() throws {
    try withTemporaryFolder { folder in
        // A non-empty folder in the destination's place: the data is written, the rename fails.
        let url = folder.appendingPathComponent("model.safetensors")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
        try Data("keep".utf8).write(to: url.appendingPathComponent("inside"))
        #expect {
            try weights.write(to: url)
        } throws: { error in
            guard case .io(let file, let operation, _) = error as? SafetensorsError else { return false }
            return file == url.path && operation == "rename into place"
        }
        #expect(try contents(of: folder) == ["model.safetensors"])
        #expect(try contents(of: url) == ["inside"])
    }
}

@Test func writeIntoMissingFolderFailsWithoutCreatingAnything() throws {
    try withTemporaryFolder { folder in
        let url = folder.appendingPathComponent("missing/model.safetensors")
        #expect(throws: SafetensorsError.self) { try weights.write(to: url) }
        #expect(throws: SafetensorsError.self) { try weights.write(to: url, atomically: false) }
        let left = try contents(of: folder)
        #expect(left.isEmpty)
    }
}

@Test func nonAtomicWriteWritesTheDestinationDirectly() throws {
    try withTemporaryFolder { folder in
        let url = folder.appendingPathComponent("model.safetensors")
        try Data(repeating: 0xFF, count: 4096).write(to: url)
        try weights.write(to: url, atomically: false)
        #expect(try Data(contentsOf: url) == weights.encoded())
        #expect(try contents(of: folder) == ["model.safetensors"])
    }
}
