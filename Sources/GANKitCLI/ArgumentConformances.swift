import ArgumentParser
import GANKitTraining

// Option values are the configuration's own types, so the command line and configuration files
// accept exactly the raw values the typed configuration defines.
extension DatasetName: ExpressibleByArgument {}
extension WeightingName: ExpressibleByArgument {}
extension TopologyName: ExpressibleByArgument {}
extension ArchitectureName: ExpressibleByArgument {}
extension ObjectiveKind: ExpressibleByArgument {}
extension WeGANWeighting.Form: ExpressibleByArgument {}
extension MessengerOptimizerName: ExpressibleByArgument {}
extension GlobalUpdatesName: ExpressibleByArgument {}
extension OptimizerName: ExpressibleByArgument {}
extension SGANOptions.WeightedGenerators: ExpressibleByArgument {}
extension EvalGeneratorsName: ExpressibleByArgument {}
extension LatentNoise.Distribution: ExpressibleByArgument {}
extension WeightInitName: ExpressibleByArgument {}
extension BestMetricName: ExpressibleByArgument {}
