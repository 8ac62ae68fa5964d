/// An N-dimensional array of `Float`, row-major, with value semantics.
///
/// Copies share their storage until one of them is written (copy-on-write). Every operation that
/// produces a new tensor allocates exactly one output block; element loops work on raw buffers.
/// A tensor of shape `[]` is a scalar holding one element.
public struct Tensor: @unchecked Sendable {
    public private(set) var shape: [Int]
    @usableFromInline var storage: TensorStorage

    /// The number of elements (1 for a scalar).
    public var count: Int { storage.count }
    public var rank: Int { shape.count }

    /// Wraps existing storage; `shape` must describe exactly `storage.count` elements.
    public init(shape: [Int], storage: TensorStorage) {
        precondition(shape.reduce(1, *) == storage.count, "shape \(shape) does not hold \(storage.count) elements")
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in shape \(shape)")
        self.shape = shape
        self.storage = storage
    }

    /// Uninitialised tensor for kernels that write every element.
    public init(uninitializedShape shape: [Int]) {
        self.init(shape: shape, storage: TensorStorage(uninitializedCount: shape.reduce(1, *)))
    }

    public init(repeating value: Float, shape: [Int]) {
        self.init(shape: shape, storage: TensorStorage(repeating: value, count: shape.reduce(1, *)))
    }

    /// A tensor holding `values` in row-major order.
    public init(shape: [Int], values: [Float]) {
        precondition(shape.reduce(1, *) == values.count, "shape \(shape) does not hold \(values.count) values")
        self.init(uninitializedShape: shape)
        values.withUnsafeBufferPointer { storage.pointer.update(from: $0.baseAddress!, count: values.count) }
    }

    /// A scalar (shape `[]`).
    public init(_ value: Float) { self.init(repeating: value, shape: []) }

    public static func zeros(_ shape: [Int]) -> Tensor { Tensor(repeating: 0, shape: shape) }
    public static func ones(_ shape: [Int]) -> Tensor { Tensor(repeating: 1, shape: shape) }

    /// The elements in row-major order.
    public var scalars: [Float] { withUnsafeBufferPointer { Array($0) } }

    /// The single element of a one-element tensor.
    public var scalar: Float {
        precondition(count == 1, "scalar of a tensor with shape \(shape)")
        return storage.pointer[0]
    }

    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: storage.pointer, count: storage.count))
    }

    /// Whether no other tensor shares this one's storage (so writing it will not copy).
    public var isUniquelyOwned: Bool {
        mutating get { isKnownUniquelyReferenced(&storage) }
    }

    /// Mutable access to the elements; copies the storage first if another tensor shares it.
    public mutating func withUnsafeMutableBufferPointer<R>(_ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        return try body(UnsafeMutableBufferPointer(start: storage.pointer, count: storage.count))
    }

    /// Takes `other`'s shape and elements into this tensor's own storage when that storage is
    /// uniquely owned and of the same size (no allocation), and otherwise into a private copy, so
    /// that a buffer refreshed every iteration (an SGAN messenger's) is allocated only once.
    public mutating func overwrite(with other: Tensor) {
        if count == other.count, isKnownUniquelyReferenced(&storage) {
            storage.pointer.update(from: other.storage.pointer, count: count)
        } else {
            storage = other.storage.copy()
        }
        shape = other.shape
    }

    /// Element at a multi-index (for tests and small jobs; kernels use buffers).
    public subscript(_ index: Int...) -> Float {
        get { storage.pointer[flatIndex(index)] }
        set {
            let i = flatIndex(index)
            withUnsafeMutableBufferPointer { $0[i] = newValue }
        }
    }

    private func flatIndex(_ index: [Int]) -> Int {
        precondition(index.count == rank, "index \(index) for shape \(shape)")
        var flat = 0
        for (i, d) in Swift.zip(index, shape) {
            precondition(i >= 0 && i < d, "index \(index) out of range for shape \(shape)")
            flat = flat * d + i
        }
        return flat
    }

    /// The same elements under another shape with the same count; one dimension may be -1.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        var resolved = newShape
        if let hole = newShape.firstIndex(of: -1) {
            let known = newShape.enumerated().filter { $0.offset != hole }.map(\.element).reduce(1, *)
            precondition(known > 0 && count % known == 0, "cannot reshape \(shape) to \(newShape)")
            resolved[hole] = count / known
        }
        precondition(resolved.reduce(1, *) == count, "cannot reshape \(shape) to \(newShape)")
        return Tensor(shape: resolved, storage: storage)
    }

    /// True when both tensors have the same shape and bitwise-identical elements.
    public func isBitwiseIdentical(to other: Tensor) -> Bool {
        guard shape == other.shape else { return false }
        return withUnsafeBufferPointer { a in
            other.withUnsafeBufferPointer { b in
                for i in 0..<a.count where a[i].bitPattern != b[i].bitPattern { return false }
                return true
            }
        }
    }

    /// True when every element is finite (no NaN, no infinity).
    public var isFinite: Bool {
        withUnsafeBufferPointer { b in
            for x in b where !x.isFinite { return false }
            return true
        }
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let shown = scalars.prefix(8).map { String($0) }.joined(separator: ", ")
        return "Tensor(shape: \(shape), [\(shown)\(count > 8 ? ", …" : "")])"
    }
}
