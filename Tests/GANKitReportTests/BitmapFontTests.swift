import Testing
@testable import GANKitReport

@Test func glyphsSetPixelsAndUnknownCharactersDrawAsQuestionMarks() {
    func drawn(_ text: String, scale: Int = 1) -> [UInt8] {
        var canvas = Canvas(width: 40, height: 24)
        canvas.drawText(text, x: 2, y: 2, color: .black, scale: scale)
        return canvas.pixels
    }
    let blank = Canvas(width: 40, height: 24).pixels
    #expect(drawn(" ") == blank)
    #expect(drawn("1") != blank && drawn("1") != drawn("7"))
    #expect(drawn("é") == drawn("?") && drawn("\u{1F600}") == drawn("?"))
    #expect(drawn("²") != drawn("?") && drawn("±") != drawn("?"))
    // At scale 2 every font pixel is a 2×2 block.
    let inked = { (pixels: [UInt8]) in stride(from: 0, to: pixels.count, by: 3).filter { pixels[$0] == 0 }.count }
    #expect(inked(drawn("1", scale: 2)) == 4 * inked(drawn("1")))
    #expect(BitmapFont.width(of: "10") == 11 && BitmapFont.width(of: "10", scale: 2) == 22)
    #expect(BitmapFont.width(of: "il") < BitmapFont.width(of: "mw"))  // letters are proportional
    #expect(BitmapFont.width(of: "") == 0)
}

@Test func everyPrintableASCIICharacterHasItsOwnGlyph() {
    let question = BitmapFont.table["?"]!.rows
    for v in 32...126 {
        let scalar = Unicode.Scalar(UInt8(v))
        #expect(BitmapFont.table[scalar] != nil, "missing \(scalar)")
        if scalar != "?" { #expect(BitmapFont.table[scalar]!.rows != question) }
    }
}

@Test func aVerticalLabelReadsUpwards() {
    var canvas = Canvas(width: 20, height: 40)
    canvas.drawText("L", x: 5, y: 30, color: .black, vertical: true)
    // L's stem (its left column) becomes the bottom row of ink; its foot the right-hand column.
    #expect(canvas.pixel(5, 29) == .black && canvas.pixel(11, 29) == .black && canvas.pixel(11, 25) == .black)
    #expect(canvas.pixel(5, 25) == .white)
}
