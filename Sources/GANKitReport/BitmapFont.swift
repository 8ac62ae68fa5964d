/// A small pixel font, so that PNG charts carry their own titles, tick labels and legends
/// without a font library.
///
/// Glyphs are 5 pixels wide and 7 tall above the baseline, with 2 more rows below it for the
/// descenders of g, j, p, q, y. Letters and punctuation are spaced by their inked width
/// (proportional), digits all by 5 pixels, so that the tick labels of an axis line up.
/// Printable ASCII (32–126) is covered, plus a few symbols used in metric names (², ±, ×, σ, β, λ,
/// μ, –); every other character is drawn as `?`.
public enum BitmapFont {
    /// Rows from the top of a capital letter to the baseline.
    public static let capHeight = 7
    /// Rows below the baseline (descenders).
    public static let descent = 2
    /// Blank columns between two glyphs.
    public static let spacing = 1

    /// One glyph: bit `4 - column` of `rows[row]` is set when the pixel is inked; `left` is the
    /// first column drawn and `width` the columns it advances by before spacing.
    struct Glyph: Sendable {
        var rows: [UInt8]
        var left: Int
        var width: Int
    }

    /// The width in pixels of `text` drawn at `scale` (no trailing spacing).
    public static func width(of text: String, scale: Int = 1) -> Int {
        let glyphs = text.map(glyph(for:))
        guard !glyphs.isEmpty else { return 0 }
        return scale * (glyphs.reduce(0) { $0 + $1.width } + spacing * (glyphs.count - 1))
    }

    /// The glyph drawn for `character`: its own, or `?` when the font has none.
    static func glyph(for character: Character) -> Glyph {
        guard character.unicodeScalars.count == 1, let scalar = character.unicodeScalars.first else { return table["?"]! }
        return table[scalar] ?? table["?"]!
    }

    /// The glyphs, parsed once from `sources`.
    static let table: [Unicode.Scalar: Glyph] = {
        var table: [Unicode.Scalar: Glyph] = [:]
        for (scalar, picture) in sources {
            var rows = picture.split(separator: " ").map { row in
                row.reduce(UInt8(0)) { $0 << 1 | ($1 == "#" ? 1 : 0) }
            }
            rows += [UInt8](repeating: 0, count: capHeight + descent - rows.count)
            let inked = rows.reduce(UInt8(0), |)
            let isDigit = ("0"..."9").contains(scalar)
            if scalar == " " {
                table[scalar] = Glyph(rows: rows, left: 0, width: 3)
            } else if isDigit || inked == 0 {
                table[scalar] = Glyph(rows: rows, left: 0, width: 5)
            } else {
                // Columns 0…4 are bits 4…0: the first inked column is the highest set bit.
                let left = inked.leadingZeroBitCount - 3, right = 4 - inked.trailingZeroBitCount
                table[scalar] = Glyph(rows: rows, left: left, width: right - left + 1)
            }
        }
        return table
    }()

    /// Each glyph as its rows from the top, `#` inked and `.` blank, 7 rows (9 with descenders).
    private static let sources: [(Unicode.Scalar, String)] = [
        (" ", "..... ..... ..... ..... ..... ..... ....."),
        ("!", "..#.. ..#.. ..#.. ..#.. ..#.. ..... ..#.."),
        ("\"", ".#.#. .#.#. .#.#. ..... ..... ..... ....."),
        ("#", ".#.#. .#.#. ##### .#.#. ##### .#.#. .#.#."),
        ("$", "..#.. .#### #.#.. .###. ..#.# ####. ..#.."),
        ("%", "##... ##..# ...#. ..#.. .#... #..## ...##"),
        ("&", ".##.. #..#. #.#.. .#... #.#.# #..#. .##.#"),
        ("'", "..#.. ..#.. .#... ..... ..... ..... ....."),
        ("(", "...#. ..#.. .#... .#... .#... ..#.. ...#."),
        (")", ".#... ..#.. ...#. ...#. ...#. ..#.. .#..."),
        ("*", "..... ..#.. #.#.# .###. #.#.# ..#.. ....."),
        ("+", "..... ..#.. ..#.. ##### ..#.. ..#.. ....."),
        (",", "..... ..... ..... ..... ..... .##.. .##.. ..#.. .#..."),
        ("-", "..... ..... ..... .###. ..... ..... ....."),
        (".", "..... ..... ..... ..... ..... .##.. .##.."),
        ("/", "....# ....# ...#. ..#.. .#... #.... #...."),
        ("0", ".###. #...# #..## #.#.# ##..# #...# .###."),
        ("1", "..#.. .##.. ..#.. ..#.. ..#.. ..#.. .###."),
        ("2", ".###. #...# ....# ...#. ..#.. .#... #####"),
        ("3", "##### ...#. ..#.. ...#. ....# #...# .###."),
        ("4", "...#. ..##. .#.#. #..#. ##### ...#. ...#."),
        ("5", "##### #.... ####. ....# ....# #...# .###."),
        ("6", "..##. .#... #.... ####. #...# #...# .###."),
        ("7", "##### ....# ...#. ..#.. .#... .#... .#..."),
        ("8", ".###. #...# #...# .###. #...# #...# .###."),
        ("9", ".###. #...# #...# .#### ....# ...#. .##.."),
        (":", "..... .##.. .##.. ..... .##.. .##.. ....."),
        (";", "..... .##.. .##.. ..... .##.. .##.. ..#.. .#..."),
        ("<", "...#. ..#.. .#... #.... .#... ..#.. ...#."),
        ("=", "..... ..... ##### ..... ##### ..... ....."),
        (">", ".#... ..#.. ...#. ....# ...#. ..#.. .#..."),
        ("?", ".###. #...# ....# ...#. ..#.. ..... ..#.."),
        ("@", ".###. #...# ....# .##.# #.#.# #.#.# .###."),
        ("A", ".###. #...# #...# ##### #...# #...# #...#"),
        ("B", "####. #...# #...# ####. #...# #...# ####."),
        ("C", ".###. #...# #.... #.... #.... #...# .###."),
        ("D", "###.. #..#. #...# #...# #...# #..#. ###.."),
        ("E", "##### #.... #.... ####. #.... #.... #####"),
        ("F", "##### #.... #.... ####. #.... #.... #...."),
        ("G", ".###. #...# #.... #.### #...# #...# .####"),
        ("H", "#...# #...# #...# ##### #...# #...# #...#"),
        ("I", ".###. ..#.. ..#.. ..#.. ..#.. ..#.. .###."),
        ("J", "..### ...#. ...#. ...#. ...#. #..#. .##.."),
        ("K", "#...# #..#. #.#.. ##... #.#.. #..#. #...#"),
        ("L", "#.... #.... #.... #.... #.... #.... #####"),
        ("M", "#...# ##.## #.#.# #.#.# #...# #...# #...#"),
        ("N", "#...# #...# ##..# #.#.# #..## #...# #...#"),
        ("O", ".###. #...# #...# #...# #...# #...# .###."),
        ("P", "####. #...# #...# ####. #.... #.... #...."),
        ("Q", ".###. #...# #...# #...# #.#.# #..#. .##.#"),
        ("R", "####. #...# #...# ####. #.#.. #..#. #...#"),
        ("S", ".#### #.... #.... .###. ....# ....# ####."),
        ("T", "##### ..#.. ..#.. ..#.. ..#.. ..#.. ..#.."),
        ("U", "#...# #...# #...# #...# #...# #...# .###."),
        ("V", "#...# #...# #...# #...# #...# .#.#. ..#.."),
        ("W", "#...# #...# #...# #.#.# #.#.# #.#.# .#.#."),
        ("X", "#...# #...# .#.#. ..#.. .#.#. #...# #...#"),
        ("Y", "#...# #...# .#.#. ..#.. ..#.. ..#.. ..#.."),
        ("Z", "##### ....# ...#. ..#.. .#... #.... #####"),
        ("[", ".###. .#... .#... .#... .#... .#... .###."),
        ("\\", "#.... #.... .#... ..#.. ...#. ....# ....#"),
        ("]", ".###. ...#. ...#. ...#. ...#. ...#. .###."),
        ("^", "..#.. .#.#. #...# ..... ..... ..... ....."),
        ("_", "..... ..... ..... ..... ..... ..... ..... #####"),
        ("`", ".#... ..#.. ..... ..... ..... ..... ....."),
        ("a", "..... ..... .###. ....# .#### #...# .####"),
        ("b", "#.... #.... #.##. ##..# #...# #...# ####."),
        ("c", "..... ..... .###. #.... #.... #...# .###."),
        ("d", "....# ....# .##.# #..## #...# #...# .####"),
        ("e", "..... ..... .###. #...# ##### #.... .###."),
        ("f", "..##. .#..# .#... ###.. .#... .#... .#..."),
        ("g", "..... ..... .#### #...# #...# #...# .#### ....# .###."),
        ("h", "#.... #.... #.##. ##..# #...# #...# #...#"),
        ("i", "..#.. ..... .##.. ..#.. ..#.. ..#.. .###."),
        ("j", "...#. ..... ..##. ...#. ...#. ...#. ...#. #..#. .##.."),
        ("k", "#.... #.... #..#. #.#.. ##... #.#.. #..#."),
        ("l", ".##.. ..#.. ..#.. ..#.. ..#.. ..#.. .###."),
        ("m", "..... ..... ##.#. #.#.# #.#.# #.#.# #.#.#"),
        ("n", "..... ..... #.##. ##..# #...# #...# #...#"),
        ("o", "..... ..... .###. #...# #...# #...# .###."),
        ("p", "..... ..... ####. #...# #...# #...# ####. #.... #...."),
        ("q", "..... ..... .#### #...# #...# #...# .#### ....# ....#"),
        ("r", "..... ..... #.##. ##..# #.... #.... #...."),
        ("s", "..... ..... .#### #.... .###. ....# ####."),
        ("t", ".#... .#... ###.. .#... .#... .#..# ..##."),
        ("u", "..... ..... #...# #...# #...# #..## .##.#"),
        ("v", "..... ..... #...# #...# #...# .#.#. ..#.."),
        ("w", "..... ..... #...# #...# #.#.# #.#.# .#.#."),
        ("x", "..... ..... #...# .#.#. ..#.. .#.#. #...#"),
        ("y", "..... ..... #...# #...# #...# #...# .#### ....# .###."),
        ("z", "..... ..... ##### ...#. ..#.. .#... #####"),
        ("{", "...#. ..#.. ..#.. .#... ..#.. ..#.. ...#."),
        ("|", "..#.. ..#.. ..#.. ..#.. ..#.. ..#.. ..#.."),
        ("}", ".#... ..#.. ..#.. ...#. ..#.. ..#.. .#..."),
        ("~", "..... ..... .#... #.#.# ...#. ..... ....."),
        // Symbols of metric and parameter names.
        ("\u{00B2}", ".##.. #..#. ..#.. .#... ####. ..... ....."),  // ²
        ("\u{00B1}", "..#.. ..#.. ##### ..#.. ..#.. ..... #####"),  // ±
        ("\u{00D7}", "..... #...# .#.#. ..#.. .#.#. #...# ....."),  // ×
        ("\u{00B7}", "..... ..... ..... .##.. .##.. ..... ....."),  // ·
        ("\u{00B0}", ".##.. #..#. .##.. ..... ..... ..... ....."),  // °
        ("\u{2013}", "..... ..... ..... ##### ..... ..... ....."),  // –
        ("\u{2014}", "..... ..... ..... ##### ..... ..... ....."),  // —
        ("\u{2026}", "..... ..... ..... ..... ..... ..... #.#.#"),  // …
        ("\u{03B1}", "..... ..... .##.# #..#. #..#. #..#. .##.#"),  // α
        ("\u{03B2}", ".##.. #..#. #..#. ###.. #..#. #...# ###.. #.... #...."),  // β
        ("\u{03BB}", "#.... .#... .#... ..#.. .#.#. #...# #...#"),  // λ
        ("\u{03BC}", "..... ..... #...# #...# #...# ##..# #.##. #.... #...."),  // μ
        ("\u{00B5}", "..... ..... #...# #...# #...# ##..# #.##. #.... #...."),  // µ (micro sign)
        ("\u{03C3}", "..... ..... .#### #..#. #...# #...# .###."),  // σ
    ]
}

extension Canvas {
    /// Draws `text` in `BitmapFont` with its top-left corner (the top of a capital) at (x, y),
    /// each font pixel a `scale`×`scale` block. With `vertical`, the text reads from bottom to
    /// top (as a y-axis label) and starts at (x, y), its capitals' tops facing left.
    public mutating func drawText(_ text: String, x: Int, y: Int, color: RGB, scale: Int = 1, vertical: Bool = false) {
        let s = max(1, scale)
        var advance = 0  // along the text, in font pixels
        for character in text {
            let glyph = BitmapFont.glyph(for: character)
            for (row, bits) in glyph.rows.enumerated() where bits != 0 {
                for column in glyph.left..<(glyph.left + glyph.width) where bits & (1 << (4 - column)) != 0 {
                    let u = advance + column - glyph.left  // along the text
                    if vertical {
                        fillRect(x: x + row * s, y: y - (u + 1) * s, width: s, height: s, color: color)
                    } else {
                        fillRect(x: x + u * s, y: y + row * s, width: s, height: s, color: color)
                    }
                }
            }
            advance += glyph.width + BitmapFont.spacing
        }
    }
}
