/// The colours of GANKit's plots: real data grey, each local generator its own hue, the global
/// generator G0 one strong colour that stands out against them (as in SGAN's figures).
public enum Palette {
    public static let real = RGB(150, 150, 150)
    public static let global = RGB(214, 39, 40)
    /// Distinct hues for G1…GN (matplotlib's tab10 without its red and grey).
    public static let local: [RGB] = [
        RGB(31, 119, 180), RGB(255, 127, 14), RGB(44, 160, 44), RGB(148, 103, 189), RGB(140, 86, 75),
        RGB(227, 119, 194), RGB(188, 189, 34), RGB(23, 190, 207),
    ]

    /// The colour of local generator `k` (1-based), cycling when there are more than eight.
    public static func localGenerator(_ k: Int) -> RGB { local[(k - 1) % local.count] }
}
