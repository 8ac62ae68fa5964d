import Foundation
import GANKitData
import GANKitEvaluation

/// Where the image scores' classifier comes from. By default the evaluation module's cache
/// (trained once per data set on all of it, 6 epochs, about 1.5 minutes on 2 cores); with a `limit`, a smaller one trained on
/// the first `limit` training images and cached under its own name (tests, quick looks: its
/// scores are rougher).
struct ClassifierProvider {
    var epochs: Int
    var limit: Int?
    /// nil: `ClassifierCache.directory`.
    var cacheDirectory: URL? = nil

    func classifier(for directory: URL, log: (String) -> Void) throws -> (classifier: ImageClassifier, accuracy: Double) {
        try ClassifierCache.classifier(forIDXDirectory: directory, epochs: epochs, limit: limit, in: cacheDirectory, log: log)
    }
}
