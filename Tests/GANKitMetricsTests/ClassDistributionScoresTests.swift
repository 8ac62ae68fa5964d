import Foundation
import GANKitMetrics
import GANKitTensor
import Testing

@Test func balancedPredictionsHaveMaximumEntropyAndNoDistanceToUniform() throws {
    var values = [Float](repeating: 0.02, count: 30 * 3)
    for i in 0..<30 { values[i * 3 + i % 3] = 0.96 }
    let r = try ClassDistributionScores(probabilities: Tensor(shape: [30, 3], values: values))
    #expect(abs(r.entropy - log(3)) < 1e-12 && r.maximumEntropy == log(3))
    #expect(abs(r.totalVariationToUniform) < 1e-12)
}

@Test func collapsedPredictionsHaveZeroEntropyAndMaximalDistance() throws {
    var values = [Float](repeating: 0, count: 10 * 4)
    for i in 0..<10 { values[i * 4 + 2] = 1 }
    let r = try ClassDistributionScores(probabilities: Tensor(shape: [10, 4], values: values))
    #expect(r.entropy == 0 && r.distribution == [0, 0, 1, 0])
    #expect(abs(r.totalVariationToUniform - 0.75) < 1e-12)
}

@Test func meanProbabilityAssignmentAveragesTheSoftmax() throws {
    let p = Tensor(shape: [2, 2], values: [0.75, 0.25, 0.75, 0.25])
    let soft = try ClassDistributionScores(probabilities: p, assignment: .meanProbability)
    #expect(abs(soft.distribution[0] - 0.75) < 1e-7)
    #expect(try ClassDistributionScores(probabilities: p).distribution == [1, 0])
}
