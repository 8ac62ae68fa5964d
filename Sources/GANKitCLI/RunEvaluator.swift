import Foundation
import GANKitData
import GANKitEvaluation
import GANKitNN
import GANKitTraining

/// Scores a generator on its run's data: the toy metrics on 2-D data, the classifier-based scores
/// on images. Used by `train` (periodically) and `evaluate`.
struct RunEvaluator {
    var dataset: DatasetConfiguration
    var latentDimension: Int
    var samples: Int
    var mmdBandwidth: Double = 1
    var seed: UInt64 = 0
    var classifier = ClassifierProvider(epochs: 6, limit: nil)

    func evaluate(_ generator: Module, log: (String) -> Void = { _ in }) throws -> EvaluationSummary {
        switch dataset {
        case .toy(let toy):
            return EvaluationSummary(try ToyEvaluation.evaluate(generator: generator, latentDimension: latentDimension, dataset: toy,
                                                                samples: samples, mmdBandwidth: mmdBandwidth, seed: seed))
        case .idx(let directory, _):
            let url = URL(fileURLWithPath: directory)
            let (net, accuracy) = try classifier.classifier(for: url, log: log)
            let real = try ImageDataset.mnistLike(directory: url, split: .test).images
            return EvaluationSummary(try ImageEvaluation.evaluate(generator: generator, latentDimension: latentDimension, classifier: net,
                                                                  real: real, samples: samples, seed: seed, classifierAccuracy: accuracy))
        case .cifar10, .imageFolder:
            throw CLIError.badInput("evaluation supports toy data and MNIST-format data sets only")
        }
    }
}
