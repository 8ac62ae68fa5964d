// The umbrella module: `import GANKit` brings every layer of the library.
@_exported import GANKitAutodiff
@_exported import GANKitData
@_exported import GANKitEvaluation
@_exported import GANKitMetrics
@_exported import GANKitNN
@_exported import GANKitSafetensors
@_exported import GANKitTensor
@_exported import GANKitTraining
