import Foundation
import GANKitTensor

/// The classical 2-D Swiss roll: a spiral with no separate modes, which tests whether a
/// generator can follow a thin curved manifold rather than a few blobs.
///
/// t ~ U(1.5π, 4.5π), the point is (t cos t + ε₁, t sin t + ε₂) / `scale` with ε ~ N(0, `noise`²)
/// (noise is added before scaling, as in scikit-learn's `make_swiss_roll` restricted to 2-D).
public struct SwissRoll: ToySampler, Codable, Equatable, Sendable {
    /// The divisor applied to the whole point (7.5 by default, which fits the roll in about [−2, 2]²).
    public let scale: Double
    /// The standard deviation of the Gaussian noise added before scaling (0.25 by default).
    public let noise: Double

    public init(scale: Double = 7.5, noise: Double = 0.25) throws {
        guard scale > 0, scale.isFinite else { throw DataError.invalidOption(name: "scale", value: "\(scale)", allowed: "a finite value > 0") }
        guard noise >= 0, noise.isFinite else { throw DataError.invalidOption(name: "noise", value: "\(noise)", allowed: "a finite value ≥ 0") }
        self.scale = scale
        self.noise = noise
    }

    /// The default roll (scale 7.5, noise 0.25).
    public static let standard = try! SwissRoll()

    public func sample(count: Int, using stream: inout RandomStream) -> Tensor {
        let n = max(0, count)
        var out = Tensor(uninitializedShape: [n, 2])
        out.withUnsafeMutableBufferPointer { buffer in
            stream.fillNormal(buffer)
            for i in 0..<n {
                let t = 1.5 * Double.pi + 3 * Double.pi * Double(stream.nextUniform())
                buffer[2 * i] = Float((t * cos(t) + noise * Double(buffer[2 * i])) / scale)
                buffer[2 * i + 1] = Float((t * sin(t) + noise * Double(buffer[2 * i + 1])) / scale)
            }
        }
        return out
    }
}
