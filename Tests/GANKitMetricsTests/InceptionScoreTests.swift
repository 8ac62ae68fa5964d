import Foundation
import GANKitMetrics
import GANKitTensor
import GANKitTestSupport
import Testing

@Test(arguments: Oracle.cases(kind: "inception_score"))
func inceptionScoreMatchesPyTorch(_ c: OracleCase) throws {
    let r = try InceptionScore.compute(probabilities: c.input("probs"), splits: c.config["splits"]?.int ?? 1)
    #expect(isClose(Tensor(Float(r.mean)), c.expected("score")), "\(c.name): \(r.mean)")
}

@Test func confidentBalancedPredictionsScoreTheNumberOfClassesAndCollapseScoresOne() throws {
    var oneHot = [Float](repeating: 0, count: 40 * 10)
    for i in 0..<40 { oneHot[i * 10 + i % 10] = 1 }
    #expect(abs(try InceptionScore.compute(probabilities: Tensor(shape: [40, 10], values: oneHot)).mean - 10) < 1e-9)
    var collapsed = [Float](repeating: 0, count: 40 * 10)
    for i in 0..<40 { collapsed[i * 10 + 3] = 1 }
    #expect(abs(try InceptionScore.compute(probabilities: Tensor(shape: [40, 10], values: collapsed)).mean - 1) < 1e-9)
    let split = try InceptionScore.compute(probabilities: Tensor(shape: [40, 10], values: oneHot), splits: 4)
    #expect(split.splitScores.count == 4 && split.standardDeviation < 1e-9)
}

@Test func inceptionScoreRejectsRowsThatAreNotProbabilities() {
    #expect(throws: MetricError.notProbabilities(row: 1, reason: "sums to 0.5")) {
        try InceptionScore.compute(probabilities: Tensor(shape: [2, 2], values: [0.5, 0.5, 0.25, 0.25]))
    }
    #expect(throws: MetricError.self) { try InceptionScore.compute(probabilities: Tensor(shape: [1, 2], values: [0.5, 0.5]), splits: 2) }
}
