import GANKitNN
import GANKitTensor
import GANKitTestSupport
import GANKitTraining
import Testing

/// Builds trainers that mirror the oracle's small MLP cases and moves parameters between the
/// oracle's names (`G.layer1.weight`) and GANKit's (`2.weight`: the K-th linear layer of a
/// Sequential with activations between is child 2K).
enum OracleTraining {
    static func configuration(_ c: OracleCase, batchSize: Int, topology: Topology = .single, weighting: GeneratorWeighting = .uniform) -> TrainingConfiguration {
        let adam = c.config["adam"]!
        let betas = adam["betas"]!.array!
        let optimizer = OptimizerConfiguration.adam(learningRate: adam["lr"]!.float!, beta1: betas[0].float!, beta2: betas[1].float!,
                                                    epsilon: adam["eps"]!.float!)
        let prefix = c.inputs.keys.contains("G.layer0.weight") ? "G" : "G1"
        let g0 = c.input("\(prefix).layer0.weight"), g1 = c.input("\(prefix).layer1.weight")
        let objective: ObjectiveKind = c.config["objective"]!.string! == "non_saturating" ? .nonSaturating : .minimax
        let networks = NetworkConfiguration(architecture: .mlp(depth: 2, width: g1.shape[0], activation: .leakyReLU(slope: c.config["leaky_slope"]!.float!)),
                                            latentDimension: g0.shape[1], sampleShape: [2])
        return TrainingConfiguration(objective: Objective(objective), weighting: weighting, topology: topology, networks: networks,
                                     generatorOptimizer: optimizer, discriminatorOptimizer: optimizer, discriminatorSteps: 1,
                                     batchSize: batchSize, seed: 1, threads: 1)
    }

    /// A data source that must never be drawn from (every batch is injected).
    static let noData = SampledDataSource(sampleShape: [2]) { _, _ in
        Issue.record("the trainer drew a real batch that the oracle case should have supplied")
        return Tensor.zeros([1, 2])
    }

    static func gankitName(_ oracleName: String) -> String {
        // "layer1.weight" → "2.weight"
        let parts = oracleName.split(separator: ".")
        let k = Int(parts[0].dropFirst("layer".count))!
        return "\(2 * k).\(parts[1])"
    }

    static func load(_ module: Module, prefix: String, from tensors: [String: Tensor]) {
        let params = Dictionary(uniqueKeysWithValues: module.namedParameters)
        for (key, t) in tensors where key.hasPrefix(prefix + ".layer") {
            params[gankitName(String(key.dropFirst(prefix.count + 1)))]!.value = t
        }
    }

    static func expectMatches(_ module: Module, prefix: String, _ c: OracleCase, rtol: Float = 1e-4, atol: Float = 1e-5) {
        let params = Dictionary(uniqueKeysWithValues: module.namedParameters)
        var checked = 0
        for (key, want) in c.expected where key.hasPrefix(prefix + ".layer") {
            let got = params[gankitName(String(key.dropFirst(prefix.count + 1)))]!.value
            if let v = maxViolation(got, want, rtol: rtol, atol: atol) { Issue.record("\(c.name): \(key): \(v)") }
            checked += 1
        }
        #expect(checked > 0, "no expected parameters for \(prefix) in \(c.name)")
    }
}
