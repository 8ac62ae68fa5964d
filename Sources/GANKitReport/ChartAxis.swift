import Foundation

/// One axis of a chart: the interval of data values it spans, linear or logarithmic, its tick
/// values and their labels. The SVG and the PNG of a chart both take their ticks and labels from
/// here, so the two pictures agree.
struct ChartAxis: Sendable, Equatable {
    /// The data values at the two ends of the axis (both positive when `logarithmic`).
    let lower: Double, upper: Double
    let logarithmic: Bool
    /// Where tick marks and labels go, in increasing order, all within `lower…upper`.
    let ticks: [Double]
    /// The distance between linear ticks, which sets how many decimals their labels need.
    let step: Double
    /// Linear labels as `1.5e6`, because all ticks are too large or too small for plain decimals.
    let scientific: Bool

    /// An axis spanning the finite `values` (the positive ones when `logarithmic`).
    ///
    /// With `nice`, the ends are widened to whole tick steps, so that the first and last tick sit
    /// on the ends (as for a y axis); otherwise the ends are the data's range, widened by
    /// `padding` of its length on each side (as for an x axis of iterations). No values give
    /// 0…1 (1…10 when logarithmic); a single value gets a range around it, never a zero length.
    init(values: [Double], logarithmic: Bool = false, nice: Bool, padding: Double = 0, tickCount: Int = 5) {
        let usable = values.filter { $0.isFinite && (!logarithmic || $0 > 0) }
        self.logarithmic = logarithmic
        if logarithmic {
            var lo = usable.min() ?? 1, hi = usable.max() ?? 10
            if hi <= lo { lo /= 2; hi *= 2 }
            let decades = log10(hi) - log10(lo)
            let (start, end) = nice || padding == 0 ? (lo, hi) : (lo / pow(10, decades * padding), hi * pow(10, decades * padding))
            (lower, upper, ticks) = Self.logarithmicTicks(start, end, nice: nice)
            step = 0
            scientific = false
            return
        }
        var lo = usable.min() ?? 0, hi = usable.max() ?? 1
        if hi <= lo {
            let half = lo == 0 ? 1 : abs(lo) * 0.1
            lo -= half
            hi += half
        }
        if !(hi - lo).isFinite {  // beyond ±Double.greatestFiniteMagnitude / 2: no steps, only the ends
            (lower, upper, ticks, step, scientific) = (lo, hi, [lo, hi], 0, true)
            return
        }
        if !nice { (lo, hi) = (lo - (hi - lo) * padding, hi + (hi - lo) * padding) }
        let step = Self.niceStep(span: hi - lo, count: tickCount)
        if nice {  // a tolerance, so that 1 / 0.2 = 5.000…1 stays at 5
            lo = (lo / step + 1e-9).rounded(.down) * step
            hi = (hi / step - 1e-9).rounded(.up) * step
        }
        let first = (lo / step - 1e-9).rounded(.up), last = (hi / step + 1e-9).rounded(.down)
        guard abs(first) < 1e15, abs(last) < 1e15, last - first < 1000 else {  // steps below Double's resolution
            (lower, upper, ticks, self.step, scientific) = (lo, hi, [lo, hi], 0, true)
            return
        }
        lower = lo
        upper = hi
        self.step = step
        ticks = stride(from: first, through: last, by: 1).map { $0 * step == 0 ? 0 : $0 * step }
        let largest = ticks.map(abs).max() ?? 0
        scientific = largest >= 1e6 || (largest > 0 && largest < 1e-3)
    }

    /// A step of 1, 2 or 5 times a power of ten that puts about `count` ticks on `span`: the
    /// nearest such step (on a log scale) to `span / (count - 1)`, as in Heckbert's "nice
    /// numbers", so that the axis is neither cramped nor half empty after widening to whole steps.
    static func niceStep(span: Double, count: Int) -> Double {
        let raw = span / Double(max(count - 1, 1))
        guard raw > 0, raw.isFinite else { return 1 }
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let fraction = raw / magnitude
        let nice: Double = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10
        return nice * magnitude
    }

    /// Ticks of a logarithmic axis from `lo` to `hi`: 1, 2 and 5 times each power of ten when the
    /// data spans at most two and a half decades, whole decades (every k-th, for at most about
    /// seven labels) beyond. `nice` widens the ends only to the nearest 1, 2 or 5 times a power
    /// of ten, not to whole decades, which could leave most of a decade empty.
    private static func logarithmicTicks(_ lo: Double, _ hi: Double, nice: Bool) -> (Double, Double, [Double]) {
        let firstDecade = Int(log10(lo).rounded(.down)), lastDecade = Int(log10(hi).rounded(.up))
        let oneTwoFive = (firstDecade...lastDecade).flatMap { d in [1.0, 2, 5].map { $0 * pow(10, Double(d)) } }
        var lower = lo, upper = hi
        if nice {
            lower = oneTwoFive.last { $0 <= lo * (1 + 1e-12) } ?? pow(10, Double(firstDecade))
            upper = oneTwoFive.first { $0 >= hi * (1 - 1e-12) } ?? pow(10, Double(lastDecade))
        }
        let decades = lastDecade - firstDecade, every = max(1, (decades + 6) / 7)
        let candidates = log10(hi / lo) <= 2.5
            ? oneTwoFive
            : stride(from: firstDecade, through: lastDecade, by: every).map { pow(10, Double($0)) }
        let ticks = candidates.filter { $0 >= lower * (1 - 1e-12) && $0 <= upper * (1 + 1e-12) }
        return (lower, upper, ticks)
    }

    /// Where `value` lies along the axis: 0 at `lower`, 1 at `upper` (beyond for values outside;
    /// -∞ for non-positive values on a logarithmic axis).
    func fraction(_ value: Double) -> Double {
        if logarithmic {
            guard value > 0 else { return -.infinity }
            return (log10(value) - log10(lower)) / (log10(upper) - log10(lower))
        }
        return (value - lower) / (upper - lower)
    }

    /// The label of tick `value`: decimals as many as the step needs (`0.2`, `0.25`, `600`),
    /// `2.5e6` for very large or very small ticks, and on a logarithmic axis each tick as short
    /// as it can be written (`0.01`, `500`, `1e6`).
    func label(_ value: Double) -> String {
        if value == 0 { return "0" }
        if logarithmic {
            let magnitude = abs(value)
            if magnitude >= 1e5 || magnitude < 1e-3 { return Self.scientific(value, step: value) }
            return Self.decimal(value, step: value)
        }
        guard step > 0 else { return String(format: "%.3g", value) }
        return scientific ? Self.scientific(value, step: step) : Self.decimal(value, step: step)
    }

    /// `value` with the decimals a multiple of `step` needs.
    private static func decimal(_ value: Double, step: Double) -> String {
        let decimals = min(12, max(0, -Int((log10(abs(step)) + 1e-9).rounded(.down))))
        return String(format: "%.\(decimals)f", value)
    }

    /// `value` as `m.mmme±k`, with the mantissa digits a multiple of `step` needs.
    private static func scientific(_ value: Double, step: Double) -> String {
        let exponent = Int(log10(abs(value)).rounded(.down))
        let digits = min(6, max(0, exponent - Int((log10(abs(step)) + 1e-9).rounded(.down))))
        return String(format: "%.\(digits)f", value / pow(10, Double(exponent))) + "e\(exponent)"
    }
}
