/// What can be wrong with a metric's inputs or options, as a value naming the input.
///
/// Metrics are computed on data produced elsewhere (a generator's samples, a classifier's
/// outputs), so bad shapes or options are reported, not trapped.
public enum MetricError: Error, CustomStringConvertible, Equatable, Sendable {
    /// An input tensor has the wrong rank or dimensions.
    case badShape(input: String, shape: [Int], expected: String)
    /// Too few rows for the estimator (e.g. the unbiased MMD needs two per set).
    case tooFewSamples(input: String, count: Int, minimum: Int)
    /// An option is outside its allowed range.
    case invalidOption(name: String, value: String, allowed: String)
    /// A row of class probabilities is not a probability vector.
    case notProbabilities(row: Int, reason: String)
    /// An input holds NaN or infinity.
    case notFinite(input: String)
    /// A LAPACK routine reported failure.
    case lapack(routine: String, info: Int)

    public var description: String {
        switch self {
        case let .badShape(input, shape, expected): "\(input) has shape \(shape), expected \(expected)"
        case let .tooFewSamples(input, count, minimum): "\(input) has \(count) rows, the estimator needs at least \(minimum)"
        case let .invalidOption(name, value, allowed): "option \(name) = \(value) is invalid; allowed: \(allowed)"
        case let .notProbabilities(row, reason): "row \(row) of the class probabilities is not a probability vector: \(reason)"
        case let .notFinite(input): "\(input) holds NaN or infinite values"
        case let .lapack(routine, info): "LAPACK \(routine) failed with info = \(info)"
        }
    }
}
