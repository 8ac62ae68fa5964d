import GANKitAutodiff
import GANKitTensor

/// Named branches run on the same input, their outputs joined along the channel axis of
/// `[N, C, H, W]`: the shape of an Inception block (`torch.cat([b(x) for b in branches], 1)`).
///
/// Branches keep their names (`branch1x1`, `branch5x5_1`, …) so that tensor names follow the
/// PyTorch module they mirror. The architecture file has no kind for it, so exporting a network
/// that holds one is refused.
public final class ChannelConcatenation: Module, @unchecked Sendable {
    public let branches: [(String, Module)]

    public init(_ branches: [(String, Module)]) {
        precondition(!branches.isEmpty, "ChannelConcatenation needs at least one branch")
        self.branches = branches
    }

    override public var children: [(String, Module)] { branches }

    override public func forward(_ input: Variable) -> Variable {
        Variable.concatenate(branches.map { $0.1.forward(input) }, axis: 1)
    }

    override public func copy() -> Module {
        let c = ChannelConcatenation(branches.map { ($0.0, $0.1.copy()) })
        c.setTraining(isTraining)
        return c
    }
}
