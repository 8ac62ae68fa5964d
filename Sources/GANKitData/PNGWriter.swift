import CSystemImage
import Foundation
import GANKitTensor

/// Writes 8-bit PNG files through libpng's simplified API (which reports errors instead of
/// jumping), for the sample grids and plots of the reports.
public enum PNGWriter {
    /// Encodes `pixels` (`height` rows of `width` pixels of `channels` interleaved bytes: 1 grey,
    /// 2 grey+alpha, 3 RGB, 4 RGBA) as PNG data.
    public static func encode(pixels: [UInt8], width: Int, height: Int, channels: Int) throws -> Data {
        var image = try describe(pixels: pixels, width: width, height: height, channels: channels)
        defer { png_image_free(&image) }
        var size = 0
        // First call measures, second writes.
        let measured = pixels.withUnsafeBytes { png_image_write_to_memory(&image, nil, &size, 0, $0.baseAddress, Int32(width * channels), nil) }
        guard measured != 0, size > 0 else { throw failure(image, path: "PNG in memory") }
        var data = Data(count: size)
        let written = data.withUnsafeMutableBytes { out in
            pixels.withUnsafeBytes { png_image_write_to_memory(&image, out.baseAddress, &size, 0, $0.baseAddress, Int32(width * channels), nil) }
        }
        guard written != 0 else { throw failure(image, path: "PNG in memory") }
        return data.prefix(size)
    }

    /// Writes `pixels` (as for `encode`) to a PNG file at `url`.
    public static func write(pixels: [UInt8], width: Int, height: Int, channels: Int, to url: URL) throws {
        let data = try encode(pixels: pixels, width: width, height: height, channels: channels)
        do { try data.write(to: url, options: .atomic) } catch {
            throw DataError.unwritable(path: url.path, reason: error.localizedDescription)
        }
    }

    /// Writes one image `[C, H, W]` (C = 1 or 3) with values in [−1, 1] (clamped) to a PNG file.
    public static func write(image: Tensor, to url: URL) throws {
        guard image.rank == 3, image.shape[0] == 1 || image.shape[0] == 3 else {
            throw DataError.invalidOption(name: "image", value: "shape \(image.shape)", allowed: "[1 or 3, H, W]")
        }
        let (c, h, w) = (image.shape[0], image.shape[1], image.shape[2])
        var pixels = [UInt8](repeating: 0, count: c * h * w)
        image.withUnsafeBufferPointer { x in
            for ch in 0..<c {
                for i in 0..<(h * w) {
                    let v = (x[ch * h * w + i] + 1) * 127.5
                    pixels[i * c + ch] = UInt8(min(255, max(0, v.rounded())))
                }
            }
        }
        try write(pixels: pixels, width: w, height: h, channels: c, to: url)
    }

    private static func describe(pixels: [UInt8], width: Int, height: Int, channels: Int) throws -> png_image {
        guard (1...4).contains(channels) else {
            throw DataError.invalidOption(name: "channels", value: "\(channels)", allowed: "1, 2, 3 or 4")
        }
        guard width > 0, height > 0, pixels.count == width * height * channels else {
            throw DataError.invalidOption(name: "pixels", value: "\(pixels.count) bytes for \(width)×\(height)×\(channels)",
                                          allowed: "width·height·channels bytes, width and height > 0")
        }
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        image.width = UInt32(width)
        image.height = UInt32(height)
        let color: UInt32 = channels >= 3 ? UInt32(PNG_FORMAT_FLAG_COLOR) : 0
        let alpha: UInt32 = channels == 2 || channels == 4 ? UInt32(PNG_FORMAT_FLAG_ALPHA) : 0
        image.format = color | alpha
        return image
    }

    private static func failure(_ image: png_image, path: String) -> DataError {
        let message = withUnsafeBytes(of: image.message) { raw in String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self) }
        return .unwritable(path: path, reason: message.isEmpty ? "libpng error" : message)
    }
}
