import Foundation
import GANKitTensor

/// A grid of images like torchvision's `save_image(x, nrow=8, padding=2, normalize=True,
/// value_range=(-1, 1))`: images in [−1, 1] mapped to [0, 255], `columns` per row, 2 pixels of
/// black padding around and between them, single-channel images repeated to RGB.
public enum ImageGrid {
    /// Lays out `images` (`[N, C, H, W]`, C = 1 or 3).
    public static func render(_ images: Tensor, columns: Int = 8, padding: Int = 2) throws -> Canvas {
        guard images.rank == 4, images.shape[1] == 1 || images.shape[1] == 3, images.shape[0] > 0 else {
            throw ReportError.invalidImage("a grid needs images of shape [N, 1 or 3, H, W], got \(images.shape)")
        }
        let (n, c, h, w) = (images.shape[0], images.shape[1], images.shape[2], images.shape[3])
        let cols = min(columns, n), rows = (n + cols - 1) / cols
        var canvas = Canvas(width: cols * (w + padding) + padding, height: rows * (h + padding) + padding, background: .black)
        images.withUnsafeBufferPointer { x in
            for k in 0..<n {
                let left = padding + (k % cols) * (w + padding), top = padding + (k / cols) * (h + padding)
                for y in 0..<h {
                    for xx in 0..<w {
                        func value(_ ch: Int) -> UInt8 {
                            let v = x[((k * c + ch) * h + y) * w + xx]
                            // torchvision: clamp((v + 1) / 2, 0, 1) · 255 + 0.5, truncated.
                            let unit = min(max((v + 1) / 2, 0), 1)
                            return UInt8(unit * 255 + 0.5)
                        }
                        let color = c == 1 ? RGB(value(0), value(0), value(0)) : RGB(value(0), value(1), value(2))
                        canvas.blend(left + xx, top + y, color)
                    }
                }
            }
        }
        return canvas
    }
}
