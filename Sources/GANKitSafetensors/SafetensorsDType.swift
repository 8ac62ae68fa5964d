/// The element types GANKit reads from safetensors files, by their names in the header.
///
/// GANKit writes `F32` only. Everything else is converted to `Float` when read, so that files from
/// PyTorch and NumPy load:
/// - `F64` rounds to the nearest `Float` (magnitudes beyond `Float.greatestFiniteMagnitude` become ±∞);
/// - `F16` and `BF16` convert exactly (every half and bfloat16 value, subnormals, ±∞ and NaN, is a `Float`);
/// - integers round to the nearest `Float` (exact up to 2²⁴ in magnitude);
/// - `BOOL` reads 0 as 0 and any other byte as 1.
/// Other types (the 8-bit floats, complex numbers) are reported as `SafetensorsError.unknownDType`.
public enum SafetensorsDType: String, CaseIterable, Sendable {
    case f64 = "F64", f32 = "F32", f16 = "F16", bf16 = "BF16"
    case i64 = "I64", i32 = "I32", i16 = "I16", i8 = "I8"
    case u64 = "U64", u32 = "U32", u16 = "U16", u8 = "U8"
    case bool = "BOOL"

    /// Bytes per element.
    public var byteSize: Int {
        switch self {
        case .f64, .i64, .u64: 8
        case .f32, .i32, .u32: 4
        case .f16, .bf16, .i16, .u16: 2
        case .i8, .u8, .bool: 1
        }
    }

    /// Converts `count` little-endian elements at `source` (any alignment) into `destination`.
    func convert(_ source: UnsafeRawPointer, count: Int, into destination: UnsafeMutablePointer<Float>) {
        switch self {
        case .f32:
            #if _endian(little)
            UnsafeMutableRawPointer(destination).copyMemory(from: source, byteCount: count * 4)
            #else
            for i in 0..<count { destination[i] = Float(bitPattern: load(UInt32.self, source, i)) }
            #endif
        case .f64: for i in 0..<count { destination[i] = Float(Double(bitPattern: load(UInt64.self, source, i))) }
        case .f16: for i in 0..<count { destination[i] = Self.float(halfBits: load(UInt16.self, source, i)) }
        case .bf16: for i in 0..<count { destination[i] = Float(bitPattern: UInt32(load(UInt16.self, source, i)) << 16) }
        case .i64: convertIntegers(Int64.self, source, count, destination)
        case .i32: convertIntegers(Int32.self, source, count, destination)
        case .i16: convertIntegers(Int16.self, source, count, destination)
        case .i8: convertIntegers(Int8.self, source, count, destination)
        case .u64: convertIntegers(UInt64.self, source, count, destination)
        case .u32: convertIntegers(UInt32.self, source, count, destination)
        case .u16: convertIntegers(UInt16.self, source, count, destination)
        case .u8: convertIntegers(UInt8.self, source, count, destination)
        case .bool: for i in 0..<count { destination[i] = source.load(fromByteOffset: i, as: UInt8.self) == 0 ? 0 : 1 }
        }
    }

    /// The value of IEEE 754 binary16 bits (sign, 5-bit exponent with bias 15, 10-bit fraction).
    static func float(halfBits h: UInt16) -> Float {
        let sign: UInt32 = UInt32(h & 0x8000) << 16
        let exponent = UInt32(h >> 10) & 0x1F
        let fraction = UInt32(h & 0x3FF)
        switch exponent {
        case 0:  // zero or subnormal: fraction · 2⁻²⁴
            let magnitude = Float(fraction) * 0x1p-24
            return sign == 0 ? magnitude : -magnitude
        case 0x1F:  // infinity or NaN (payload kept)
            return Float(bitPattern: sign | 0x7F80_0000 | fraction << 13)
        default:  // rebias 15 → 127
            return Float(bitPattern: sign | (exponent + 112) << 23 | fraction << 13)
        }
    }
}

@inline(__always)
private func load<T: FixedWidthInteger>(_: T.Type, _ source: UnsafeRawPointer, _ index: Int) -> T {
    T(littleEndian: source.loadUnaligned(fromByteOffset: index * MemoryLayout<T>.size, as: T.self))
}

@inline(__always)
private func convertIntegers<T: FixedWidthInteger>(_: T.Type, _ source: UnsafeRawPointer, _ count: Int, _ destination: UnsafeMutablePointer<Float>) {
    for i in 0..<count { destination[i] = Float(load(T.self, source, i)) }
}
