import GANKitNN
@testable import GANKitTensor
import GANKitTestSupport
import Testing

/// Optimizer trajectories against PyTorch's update rules.
struct OptimizerOracleTests {
    /// A one-parameter module to drive optimizers.
    final class Holder: Module, @unchecked Sendable {
        let p: Parameter
        init(_ t: Tensor) { p = Parameter(t) }
        override var localParameters: [(String, Parameter)] { [("p", p)] }
        override func copy() -> Module { Holder(p.value) }
    }

    static func makeOptimizer(_ c: OracleCase) -> any Optimizer {
        let cfg = c.config
        switch c.kind {
        case "optimizer_adam":
            let betas = cfg["betas"]!.array!
            return Adam(learningRate: cfg["lr"]!.float!, beta1: betas[0].float!, beta2: betas[1].float!,
                        epsilon: cfg["eps"]!.float!, weightDecay: cfg["weight_decay"]?.float ?? 0)
        case "optimizer_rmsprop":
            return RMSProp(learningRate: cfg["lr"]!.float!, alpha: cfg["alpha"]!.float!, epsilon: cfg["eps"]!.float!,
                           momentum: cfg["momentum"]?.float ?? 0, weightDecay: cfg["weight_decay"]?.float ?? 0)
        default:
            return SGD(learningRate: cfg["lr"]!.float!, momentum: cfg["momentum"]?.float ?? 0,
                       nesterov: cfg["nesterov"]?.bool ?? false, weightDecay: cfg["weight_decay"]?.float ?? 0)
        }
    }

    @Test(arguments: Oracle.cases(kinds: ["optimizer_adam", "optimizer_rmsprop", "optimizer_sgd"]))
    func trajectoryMatchesPyTorch(_ c: OracleCase) {
        let holder = Holder(c.input("param"))
        var optimizer = Self.makeOptimizer(c)
        let grads = c.input("grads"), expected = c.expected("trajectory")
        for k in 0..<grads.shape[0] {
            optimizer.update(holder, gradients: ["p": grads.slice(axis: 0, k..<(k + 1)).reshaped(holder.p.value.shape)])
            let want = expected.slice(axis: 0, k..<(k + 1)).reshaped(holder.p.value.shape)
            if let v = maxViolation(holder.p.value, want) { Issue.record("\(c.name) step \(k + 1): \(v)") }
        }
    }

    @Test func copiedOptimizerEvolvesIndependently() {
        let a = Holder(Tensor(shape: [2], values: [1, 2]))
        var first = Adam(learningRate: 0.1)
        first.update(a, gradients: ["p": Tensor(shape: [2], values: [1, 1])])
        var second = first
        let b = a.copy() as! Holder
        second.update(b, gradients: ["p": Tensor(shape: [2], values: [-1, -1])])
        #expect(first.step == 1 && second.step == 2)
        #expect(first.state["p.exp_avg"]!.scalars != second.state["p.exp_avg"]!.scalars)
        #expect(a.p.value.scalars != b.p.value.scalars)
    }
}

/// Adam splits large tensors across threads; the update must not depend on how.
struct AdamThreadingTests {
    @Test func oneAndTwoThreadsGiveIdenticalParameters() {
        func train(threads: Int) -> [String: Tensor] {
            var rng = RandomStream(seed: 5)
            let layer = Linear(inputSize: 512, outputSize: 301, using: &rng)
            var adam = Adam(learningRate: 1e-2, beta1: 0.5, beta2: 0.9, weightDecay: 1e-3)
            Parallel.$threadsOverride.withValue(threads) {
                for _ in 0..<3 {
                    let gradients = Dictionary(uniqueKeysWithValues: layer.namedParameters.map { ($0.0, Tensor.normal($0.1.value.shape, using: &rng)) })
                    adam.update(layer, gradients: gradients)
                }
            }
            return layer.stateDictionary
        }
        let serial = train(threads: 1), parallel = train(threads: 2)
        #expect(serial.keys.sorted() == parallel.keys.sorted())
        for (name, value) in serial { #expect(value.scalars == parallel[name]?.scalars, "\(name)") }
    }
}

/// A clone of a module and its optimizer shares their buffers until it learns (SGAN's messengers):
/// Adam then writes fresh buffers in one pass, which must give the same numbers as updating
/// private copies, and must leave the original untouched.
struct AdamSharedStateTests {
    @Test func updatingAClonedModuleMatchesUpdatingACopyAndLeavesTheOriginal() throws {
        var rng = RandomStream(seed: 9)
        let original = Linear(inputSize: 64, outputSize: 300, using: &rng)
        var adam = Adam(learningRate: 1e-2, beta1: 0.5, beta2: 0.9)
        func gradients() -> [String: Tensor] {
            Dictionary(uniqueKeysWithValues: original.namedParameters.map { ($0.0, Tensor.normal($0.1.value.shape, using: &rng)) })
        }
        adam.update(original, gradients: gradients())
        let before = original.stateDictionary, stateBefore = adam.state
        let step = gradients()

        let clone = original.copy()  // shares every buffer with `original`
        var cloneAdam = adam
        cloneAdam.update(clone, gradients: step)

        let privateCopy = Linear(inputSize: 64, outputSize: 300, using: &rng)
        try privateCopy.load(stateDictionary: before.mapValues { Tensor(shape: $0.shape, values: $0.scalars) })
        var privateAdam = Adam(learningRate: 1e-2, beta1: 0.5, beta2: 0.9)
        try privateAdam.restore(state: stateBefore.mapValues { Tensor(shape: $0.shape, values: $0.scalars) }, step: adam.step)
        privateAdam.update(privateCopy, gradients: step)

        for (name, value) in clone.stateDictionary { #expect(value.scalars == privateCopy.stateDictionary[name]?.scalars, "\(name)") }
        for (name, value) in cloneAdam.state { #expect(value.scalars == privateAdam.state[name]?.scalars, "\(name)") }
        for (name, value) in original.stateDictionary { #expect(value.scalars == before[name]?.scalars, "original \(name) changed") }
        for (name, value) in adam.state { #expect(value.scalars == stateBefore[name]?.scalars, "original state \(name) changed") }
    }
}

/// An SGAN messenger takes its discriminator's optimizer state every iteration: `restore` writes
/// it into the buffers the optimizer already owns, and the next update matches one from the
/// original state.
struct OptimizerRestoreTests {
    @Test func restoreWritesIntoOwnedBuffersAndTheNextUpdateMatches() throws {
        var rng = RandomStream(seed: 12)
        let original = Linear(inputSize: 40, outputSize: 70, using: &rng)
        var adam = Adam(learningRate: 1e-2, beta1: 0.5, beta2: 0.9, weightDecay: 1e-3)
        func gradients() -> [String: Tensor] {
            Dictionary(uniqueKeysWithValues: original.namedParameters.map { ($0.0, Tensor.normal($0.1.value.shape, using: &rng)) })
        }
        adam.update(original, gradients: gradients())
        let messenger = original.copy()
        var messengerAdam = Adam(learningRate: 1e-2, beta1: 0.5, beta2: 0.9, weightDecay: 1e-3)
        try messengerAdam.restore(state: adam.state, step: adam.step)
        messengerAdam.update(messenger, gradients: gradients())  // now owns its buffers
        let owned = messengerAdam.state.mapValues { $0.withUnsafeBufferPointer { $0.baseAddress! } }

        adam.update(original, gradients: gradients())
        let before = original.stateDictionary.mapValues(\.scalars), momentsBefore = adam.state.mapValues(\.scalars)
        messenger.overwrite(with: original)
        try messengerAdam.restore(state: adam.state, step: adam.step)
        #expect(messengerAdam.state.mapValues { $0.withUnsafeBufferPointer { $0.baseAddress! } } == owned, "the same buffers, overwritten")
        #expect(messengerAdam.state.mapValues(\.scalars) == momentsBefore)
        let step = gradients()
        let full = original.copy()
        var fullAdam = adam
        fullAdam.update(full, gradients: step)
        messengerAdam.update(messenger, gradients: step)
        for (name, value) in full.stateDictionary { #expect(value.scalars == messenger.stateDictionary[name]?.scalars, "\(name)") }
        #expect(messengerAdam.step == fullAdam.step)
        #expect(original.stateDictionary.mapValues(\.scalars) == before && adam.state.mapValues(\.scalars) == momentsBefore,
                "the original and its optimizer are untouched")
    }
}
