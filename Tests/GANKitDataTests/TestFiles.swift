import Foundation

/// Paths and scratch folders for the data tests.
enum TestFiles {
    /// `../shared/datasets` beside the package (or `GANKIT_DATASETS_DIR`).
    static var datasets: URL {
        if let env = ProcessInfo.processInfo.environment["GANKIT_DATASETS_DIR"], !env.isEmpty { return URL(fileURLWithPath: env) }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.deletingLastPathComponent().appendingPathComponent("shared/datasets")
    }

    static func dataset(_ name: String) -> URL { datasets.appendingPathComponent(name) }

    static func hasDataset(_ name: String) -> Bool {
        FileManager.default.fileExists(atPath: dataset(name).appendingPathComponent("SHA256SUMS").path)
    }

    /// A fresh empty folder under the system's temporary directory.
    static func scratch(_ label: String = #function) throws -> URL {
        let safe = label.filter { $0.isLetter || $0.isNumber }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("gankit-data-\(safe)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
