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
        return try pixels.withUnsafeBytes { try encode(&image, buffer: $0.baseAddress!, rowStride: width * channels, colormap: nil) }
    }

    /// Encodes an indexed-colour PNG: `indices` holds one byte per pixel (row-major) naming an
    /// entry of `palette`, whose RGB triplets give at most 256 colours. Plots have few colours,
    /// and their indices compress several times better than RGB does.
    public static func encode(indices: [UInt8], palette: [UInt8], width: Int, height: Int) throws -> Data {
        let colours = palette.count / 3
        guard palette.count % 3 == 0, (1...256).contains(colours) else {
            throw DataError.invalidOption(name: "palette", value: "\(palette.count) bytes", allowed: "1 to 256 RGB triplets")
        }
        guard width > 0, height > 0, indices.count == width * height else {
            throw DataError.invalidOption(name: "indices", value: "\(indices.count) bytes for \(width)×\(height)",
                                          allowed: "width·height bytes, width and height > 0")
        }
        if let index = indices.first(where: { Int($0) >= colours }) {
            throw DataError.invalidOption(name: "indices", value: "index \(index)", allowed: "indices below the palette's \(colours) colours")
        }
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        image.width = UInt32(width)
        image.height = UInt32(height)
        image.format = UInt32(PNG_FORMAT_FLAG_COLOR | PNG_FORMAT_FLAG_COLORMAP)
        image.colormap_entries = UInt32(colours)
        return try indices.withUnsafeBytes { buffer in
            try palette.withUnsafeBytes { try encode(&image, buffer: buffer.baseAddress!, rowStride: width, colormap: $0.baseAddress) }
        }
    }

    /// Runs libpng's in-memory writer twice: the first call measures, the second writes.
    private static func encode(_ image: inout png_image, buffer: UnsafeRawPointer, rowStride: Int,
                               colormap: UnsafeRawPointer?) throws -> Data {
        defer { png_image_free(&image) }
        var size = 0
        let measured = png_image_write_to_memory(&image, nil, &size, 0, buffer, Int32(rowStride), colormap)
        guard measured != 0, size > 0 else { throw failure(image, path: "PNG in memory") }
        var data = Data(count: size)
        let written = data.withUnsafeMutableBytes { png_image_write_to_memory(&image, $0.baseAddress, &size, 0, buffer, Int32(rowStride), colormap) }
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
