import Foundation

/// Escaping for text placed in HTML and SVG.
public enum HTML {
    public static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}

/// A self-contained `index.html`: inline CSS and SVG, images by relative path, no script, so it
/// opens from disk with no server and no network.
public struct HTMLReport: Sendable {
    /// One piece of a section.
    public enum Block: Sendable {
        case paragraph(String)
        /// A two-column table.
        case table([(String, String)])
        /// A table with a header row.
        case grid(header: [String], rows: [[String]])
        /// Images by path relative to the report, with captions.
        case images([(source: String, caption: String)])
        /// Small versions of images, each linking to the full one (a series over training).
        case thumbnails([(source: String, caption: String)])
        /// Inline SVG elements side by side.
        case charts([String])
        /// Colour swatches naming what each colour of the plots is.
        case legend([(String, RGB)])
    }

    public struct Section: Sendable {
        public var title: String
        public var blocks: [Block]

        public init(_ title: String, _ blocks: [Block]) {
            self.title = title
            self.blocks = blocks
        }
    }

    public var title: String
    public var subtitle: String
    public var sections: [Section]

    public init(title: String, subtitle: String, sections: [Section]) {
        self.title = title
        self.subtitle = subtitle
        self.sections = sections
    }

    private static let style = """
        body{font-family:-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;margin:24px auto;max-width:1100px;color:#222;padding:0 16px}
        h1{margin-bottom:2px}h2{border-bottom:1px solid #ddd;padding-bottom:4px;margin-top:28px}
        .sub{color:#666;margin-top:0}table{border-collapse:collapse;font-size:14px}
        td{border-bottom:1px solid #eee;padding:3px 14px 3px 0}td:first-child{color:#555}th{text-align:left;padding:3px 14px 3px 0;border-bottom:1px solid #ccc}
        .row{display:flex;flex-wrap:wrap;gap:14px}figure{margin:0}figcaption{font-size:12px;color:#555;text-align:center}
        img{border:1px solid #ddd;max-width:100%}img.thumb{width:200px}
        .sw{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px;vertical-align:middle;border-radius:6px}
        """

    public func html() -> String {
        var out = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>\(HTML.escape(title))</title>"
        out += "<style>\(Self.style)</style></head><body>\n"
        out += "<h1>\(HTML.escape(title))</h1><p class=\"sub\">\(HTML.escape(subtitle))</p>\n"
        for section in sections {
            out += "<section><h2>\(HTML.escape(section.title))</h2>\n"
            for block in section.blocks { out += render(block) + "\n" }
            out += "</section>\n"
        }
        return out + "</body></html>\n"
    }

    private func render(_ block: Block) -> String {
        switch block {
        case .paragraph(let text):
            return "<p>\(HTML.escape(text))</p>"
        case .table(let rows):
            return "<table>" + rows.map { "<tr><td>\(HTML.escape($0.0))</td><td>\(HTML.escape($0.1))</td></tr>" }.joined() + "</table>"
        case let .grid(header, rows):
            return "<table><tr>" + header.map { "<th>\(HTML.escape($0))</th>" }.joined() + "</tr>"
                + rows.map { "<tr>" + $0.map { "<td>\(HTML.escape($0))</td>" }.joined() + "</tr>" }.joined() + "</table>"
        case .images(let images):
            return "<div class=\"row\">" + images.map {
                "<figure><img src=\"\(HTML.escape($0.source))\" alt=\"\(HTML.escape($0.caption))\"><figcaption>\(HTML.escape($0.caption))</figcaption></figure>"
            }.joined() + "</div>"
        case .thumbnails(let images):
            return "<div class=\"row\">" + images.map {
                "<figure><a href=\"\(HTML.escape($0.source))\"><img class=\"thumb\" src=\"\(HTML.escape($0.source))\" alt=\"\(HTML.escape($0.caption))\"></a><figcaption>\(HTML.escape($0.caption))</figcaption></figure>"
            }.joined() + "</div>"
        case .charts(let svgs):
            return "<div class=\"row\">" + svgs.joined() + "</div>"
        case .legend(let entries):
            return "<p>" + entries.map { "<span class=\"sw\" style=\"background:\($0.1.hex)\"></span>\(HTML.escape($0.0))" }.joined() + "</p>"
        }
    }

    /// Writes the report atomically to `url`.
    public func write(to url: URL) throws {
        do { try Data(html().utf8).write(to: url, options: .atomic) } catch { throw ReportError.unwritable(path: url.path) }
    }
}
