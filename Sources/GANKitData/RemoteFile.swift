import Foundation

/// A file to download: where from, under what name, and how to recognise the right bytes.
public struct RemoteFile: Codable, Equatable, Sendable {
    /// The local file name.
    public var name: String
    /// Where to get it, tried in order (an official location first, then mirrors).
    public var urls: [URL]
    /// The exact size in bytes, when known.
    public var size: Int64?
    /// The SHA-256 in lowercase hexadecimal, when known. Without it only the size is checked.
    public var sha256: String?

    public init(name: String, urls: [URL], size: Int64? = nil, sha256: String? = nil) {
        self.name = name
        self.urls = urls
        self.size = size
        self.sha256 = sha256?.lowercased()
    }
}
