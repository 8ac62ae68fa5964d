/// Which rank of a job trains which of SGAN's local pairs. Rank 0 also holds the global pair,
/// whose work (G0 against N critics, D0 on N batches) is counted as `globalWork` pairs', so it
/// takes fewer local pairs. Each rank's pairs are consecutive.
public struct RankPlacement: Codable, Sendable, Equatable {
    /// The rank of each local pair (pair k, from 0).
    public let owners: [Int]
    public let ranks: Int

    /// The global pair's share of an iteration's work, in local pairs (a local pair with its
    /// messenger is I_D + 1 + I_D passes; G0 and D0 each do about one pass per local pair).
    public static func globalWork(pairs: Int) -> Double { Double(pairs) * 2 / 3 }

    /// Spreads `pairs` local pairs over `ranks` ranks, balancing work with the global pair on rank 0.
    public init(pairs: Int, ranks: Int) {
        precondition(pairs >= 1 && ranks >= 1)
        var counts = [Int](repeating: 0, count: ranks)
        var load = [Double](repeating: 0, count: ranks)
        load[0] = ranks > 1 ? Self.globalWork(pairs: pairs) : 0
        for _ in 0..<pairs {
            // The least loaded rank; ties go to the highest, keeping rank 0 light.
            let r = load.indices.reversed().min { load[$0] < load[$1] }!
            counts[r] += 1
            load[r] += 1
        }
        owners = counts.enumerated().flatMap { [Int](repeating: $0.offset, count: $0.element) }
        self.ranks = ranks
    }

    /// The local pairs of `rank`, in order.
    public func pairs(of rank: Int) -> [Int] { owners.indices.filter { owners[$0] == rank } }

    /// "rank 0: global pair, pairs 1–2; rank 1: pairs 3–5" (pairs numbered from 1, as players are).
    public var description: String {
        (0..<ranks).map { r in
            let mine = pairs(of: r).map { $0 + 1 }
            var parts: [String] = r == 0 ? ["global pair"] : []
            if let first = mine.first, let last = mine.last { parts.append(first == last ? "pair \(first)" : "pairs \(first)–\(last)") }
            if parts.isEmpty { parts.append("nothing") }
            return "rank \(r): " + parts.joined(separator: ", ")
        }.joined(separator: "; ")
    }
}
