import Testing
@testable import GANKitReport

@Test func aTranslucentPolylineIsNoDarkerAtItsJoints() {
    var canvas = Canvas(width: 40, height: 40)
    canvas.strokePolyline([(5, 20), (20, 20), (20, 35)], width: 3, color: .black, alpha: 0.5)
    #expect(canvas.pixel(12, 20) == RGB(128, 128, 128))  // mid-segment
    #expect(canvas.pixel(20, 20) == canvas.pixel(12, 20))  // the joint, covered by both segments
    #expect(canvas.pixel(12, 25) == .white)
}

@Test func aPolylineOfOnePointIsADotAndNonFinitePointsAreIgnored() {
    var canvas = Canvas(width: 10, height: 10)
    canvas.strokePolyline([(5.5, 5.5), (.nan, 2), (.infinity, 3)], width: 2, color: .black)
    #expect(canvas.pixel(5, 5) == .black && canvas.pixel(0, 0) == .white)
}
