import GANKitTestSupport
import Testing

/// Every oracle case is of a kind some test runs, so a new case of a known kind is always checked
/// and a case of an unknown kind fails loudly instead of being skipped.
@Test func everyOracleCaseIsOfAKindTheTestsRun() {
    let handled: Set<String> = [
        "linear", "conv2d", "conv_transpose2d", "batch_norm", "activation", "bce_with_logits",   // GANKitNNTests
        "optimizer_adam", "optimizer_rmsprop", "optimizer_sgd",                                   // GANKitNNTests
        "wgan_gp", "wgan_gp_penalty", "dragan_penalty", "gan_step", "sgan_step", "wegan_step",    // GANKitTrainingTests
        "mmd", "frechet_distance", "inception_score", "kde_log_likelihood",                       // GANKitMetricsTests
    ]
    let cases = Oracle.all()
    #expect(cases.count >= 35, "the shared oracle holds 35 cases")
    for c in cases { #expect(handled.contains(c.kind), "oracle case \(c.name) has kind '\(c.kind)', which no test runs") }
}
