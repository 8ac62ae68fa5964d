import CImageCodecs
import CSystemImage
import Foundation

/// 8-bit pixels of one decoded image: `height` rows of `width` pixels of `channels` interleaved
/// bytes (1 = grey, 3 = RGB), top row first.
public struct DecodedImage: Sendable, Equatable {
    public var width: Int
    public var height: Int
    public var channels: Int
    public var pixels: [UInt8]

    public init(width: Int, height: Int, channels: Int, pixels: [UInt8]) {
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }
}

/// Decodes PNG (libpng's simplified API) and JPEG (libjpeg, through the CImageCodecs wrapper that
/// turns its fatal errors into return codes), converting to grey or RGB on the way.
///
/// Both paths report a corrupt file as `DataError.corruptImage` naming it; neither can abort the
/// process, which libjpeg's default error handler would do.
public enum ImageCodec {
    /// The most pixels a decoded image may have (2^26, e.g. 8192 × 8192: 192 MB as RGB bytes).
    /// A header of a few bytes can announce billions of pixels; such a file is refused before its
    /// pixels are allocated rather than exhausting memory.
    public static let maximumPixels = 1 << 26

    /// The kind of an image file, by its leading bytes (not its name, which may lie).
    public enum Format: Sendable { case png, jpeg }

    /// The format whose signature starts `data`, if any.
    public static func sniff(_ data: Data) -> Format? {
        if data.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if data.starts(with: [0xFF, 0xD8]) { return .jpeg }
        return nil
    }

    /// Decodes the PNG or JPEG image in `data` to `channels` (1 or 3) channels, or with nil to the
    /// file's own: 1 for a grey image, 3 for a colour one (an alpha channel is dropped). `path`
    /// names the file in errors.
    public static func decode(_ data: Data, channels: Int?, path: String) throws -> DecodedImage {
        if let channels, channels != 1 && channels != 3 {
            throw DataError.invalidOption(name: "channels", value: "\(channels)", allowed: "1 (grey) or 3 (RGB)")
        }
        switch sniff(data) {
        case .png: return try decodePNG(data, channels: channels, path: path)
        case .jpeg: return try decodeJPEG(data, channels: channels, path: path)
        case nil: throw DataError.corruptImage(path: path, reason: "neither a PNG nor a JPEG signature")
        }
    }

    static func decodePNG(_ data: Data, channels requested: Int?, path: String) throws -> DecodedImage {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        defer { png_image_free(&image) }
        func failure() -> DataError {
            let message = withUnsafeBytes(of: image.message) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            return .corruptImage(path: path, reason: message.isEmpty ? "libpng error" : message)
        }
        let begun = data.withUnsafeBytes { png_image_begin_read_from_memory(&image, $0.baseAddress, $0.count) }
        guard begun != 0 else { throw failure() }
        let channels = requested ?? (image.format & UInt32(PNG_FORMAT_FLAG_COLOR) != 0 ? 3 : 1)
        image.format = channels == 1 ? UInt32(PNG_FORMAT_GRAY) : UInt32(PNG_FORMAT_RGB)
        let width = Int(image.width), height = Int(image.height)
        guard width > 0, height > 0, width <= 1 << 15, height <= 1 << 15, width * height <= maximumPixels else {
            throw DataError.corruptImage(path: path, reason: "image size \(width)×\(height) out of range")
        }
        // Zeroed buffer: an alpha channel is composited onto black.
        var pixels = [UInt8](repeating: 0, count: width * height * channels)
        let finished = pixels.withUnsafeMutableBytes { png_image_finish_read(&image, nil, $0.baseAddress, Int32(width * channels), nil) }
        guard finished != 0 else { throw failure() }
        return DecodedImage(width: width, height: height, channels: channels, pixels: pixels)
    }

    static func decodeJPEG(_ data: Data, channels: Int?, path: String) throws -> DecodedImage {
        var out: UnsafeMutablePointer<UInt8>? = nil
        var width: Int32 = 0, height: Int32 = 0, got: Int32 = 0
        var message = [CChar](repeating: 0, count: 256)
        let status = data.withUnsafeBytes { raw in
            message.withUnsafeMutableBufferPointer { m in
                gankit_jpeg_decode(raw.bindMemory(to: UInt8.self).baseAddress, raw.count, channels.map { $0 == 1 ? 1 : 0 } ?? 2, maximumPixels,
                                   &out, &width, &height, &got, m.baseAddress, m.count)
            }
        }
        guard status == 0, let out else {
            let text = message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            throw DataError.corruptImage(path: path, reason: text.isEmpty ? "libjpeg error" : text)
        }
        defer { gankit_jpeg_free(out) }
        let count = Int(width) * Int(height) * Int(got)
        return DecodedImage(width: Int(width), height: Int(height), channels: Int(got),
                            pixels: Array(UnsafeBufferPointer(start: out, count: count)))
    }

    /// Encodes `image` (1 or 3 channels) as a JPEG of `quality` 1...100.
    public static func encodeJPEG(_ image: DecodedImage, quality: Int = 90) throws -> Data {
        guard image.channels == 1 || image.channels == 3, image.pixels.count == image.width * image.height * image.channels else {
            throw DataError.invalidOption(name: "image", value: "\(image.width)×\(image.height)×\(image.channels) with \(image.pixels.count) bytes",
                                          allowed: "1 or 3 channels and width·height·channels bytes")
        }
        var out: UnsafeMutablePointer<UInt8>? = nil
        var size = 0
        var message = [CChar](repeating: 0, count: 256)
        let status = image.pixels.withUnsafeBufferPointer { p in
            message.withUnsafeMutableBufferPointer { m in
                gankit_jpeg_encode(p.baseAddress, Int32(image.width), Int32(image.height), Int32(image.channels),
                                   Int32(min(100, max(1, quality))), &out, &size, m.baseAddress, m.count)
            }
        }
        guard status == 0, let out else {
            throw DataError.unwritable(path: "JPEG", reason: message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) })
        }
        defer { gankit_jpeg_free(out) }
        return Data(bytes: out, count: size)
    }
}
