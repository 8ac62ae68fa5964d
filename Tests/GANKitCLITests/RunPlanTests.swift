import Foundation
import GANKitTraining
import Testing
@testable import GANKitCLI

@Suite struct RunPlanTests {
    @Test func noOptionsPlanSGANWithFiveLocalPairsOnTheRing() throws {
        let plan = try TrainOptions().plan()
        #expect(plan.dataset == .toy(.ring8))
        guard case .sgan(let o) = plan.training.topology else { Issue.record("not SGAN: \(plan.training.topology)"); return }
        #expect(o.pairs == 5 && o.messengers)
        guard case .mlp(_, _, .leakyReLU(let slope)) = plan.training.networks.architecture else { Issue.record("not an MLP"); return }
        #expect(slope == 0.01)
        #expect(plan.out.path.contains("runs/"))
    }

    @Test func theResolvedOptionsPlanTheSameRunAgain() throws {
        var o = TrainOptions()
        o.dataset = .grid25
        o.weighting = .wegan
        o.beta = 0.3
        o.out = "/tmp/x"
        let plan = try o.plan()
        #expect(try plan.options.plan().training == plan.training)
        let data = try JSONEncoder().encode(plan.options)
        #expect(try JSONDecoder().decode(TrainOptions.self, from: data) == plan.options)
    }

    @Test func optionsThatDoNotApplyAreRejected() {
        var o = TrainOptions()
        o.beta = 0.5
        #expect(throws: CLIError.badInput("invalid --beta: applies only with --weighting wegan (weighting is uniform)")) { try o.plan() }
        var p = TrainOptions()
        p.topology = .single
        p.messengers = false
        #expect(throws: CLIError.self) { try p.plan() }
    }

    @Test func sganAndOptimizerOptionsReachTheTrainingConfiguration() throws {
        var o = TrainOptions()
        o.messengerOptimizer = .fresh
        o.globalUpdates = .perLocalUpdate
        o.weighting = .wegan
        o.weightedGenerators = .global
        o.generatorLearningRate = 3e-4
        o.adamBeta1 = 0.9
        let plan = try o.plan()
        #expect(plan.training.topology == .sgan(SGANOptions(pairs: 5, messengers: true, messengerCopiesOptimizerState: false,
                                                            globalUpdates: .perLocalUpdate, weightedGenerators: .global)))
        #expect(plan.training.generatorOptimizer == .adam(learningRate: 3e-4, beta1: 0.9, beta2: 0.9))  // the default job: WGAN-GP's β₂
        #expect(plan.training.discriminatorOptimizer == .adam(learningRate: 1e-3, beta1: 0.9, beta2: 0.9))
    }

    /// Messengers take I_D steps unless told otherwise; the default stays implicit in the
    /// training configuration, so checkpoints from before the option resume.
    @Test func messengerStepsDefaultToTheDiscriminatorSteps() throws {
        var o = TrainOptions()
        o.topology = .sgan
        o.objective = .wganGP
        #expect(o.withDefaults().messengerSteps == o.withDefaults().discriminatorSteps)
        #expect(try o.plan().training.topology == .sgan(SGANOptions(pairs: 5)))
        o.messengerSteps = 12
        #expect(try o.plan().training.topology == .sgan(SGANOptions(pairs: 5, messengerSteps: 12)))
        o.messengers = false
        o.messengerSteps = nil
        #expect(o.withDefaults().messengerSteps == nil)
    }

    @Test func flagsOverrideTheConfigurationFile() {
        var file = TrainOptions(), flags = TrainOptions()
        file.iterations = 10
        file.seed = 3
        flags.iterations = 20
        let merged = file.overridden(by: flags)
        #expect(merged.iterations == 20 && merged.seed == 3)
    }
}
