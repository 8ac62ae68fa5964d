import GANKitTensor
import Testing
@testable import GANKitReport

@Test func gridHasTorchvisionsSizeWithTwoPixelPadding() throws {
    let images = Tensor(repeating: 1, shape: [10, 1, 28, 28])
    let canvas = try ImageGrid.render(images)
    #expect(canvas.width == 8 * 30 + 2)
    #expect(canvas.height == 2 * 30 + 2)
    #expect(canvas.pixel(0, 0) == .black)  // padding
    #expect(canvas.pixel(2, 2) == .white)  // +1 maps to 255
}

@Test func minusOneMapsToBlackAndZeroToMidGrey() throws {
    let images = Tensor(shape: [2, 1, 1, 1], values: [-1, 0])
    let canvas = try ImageGrid.render(images)
    #expect(canvas.pixel(2, 2) == .black)
    #expect(canvas.pixel(5, 2) == RGB(128, 128, 128))
}

@Test func gridRejectsTensorsThatAreNotImageBatches() {
    #expect(throws: ReportError.self) { try ImageGrid.render(Tensor.zeros([4, 2])) }
}
