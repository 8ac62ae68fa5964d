import Dispatch
import Foundation
import Synchronization

/// Set when the user presses Ctrl-C (SIGINT) or the process gets SIGTERM; the training loop
/// checks it between iterations, writes a checkpoint and stops, instead of dying mid-write.
/// A second signal exits at once with status 130: the user has asked twice.
final class InterruptFlag: @unchecked Sendable {
    private let raised = Atomic<Bool>(false)
    /// Touched only by the thread that installs and uninstalls.
    private var sources: [any DispatchSourceSignal] = []
    /// Run on the first signal, when stopping between iterations is impossible (rank 0 of an MPI
    /// job whose ranks are being stopped: no iteration or checkpoint can finish). It does not return.
    private let immediateStop: (@Sendable () -> Never)?

    init(immediateStop: (@Sendable () -> Never)? = nil) {
        self.immediateStop = immediateStop
    }

    var isRaised: Bool { raised.load(ordering: .relaxed) }

    /// Raises the flag as a first signal would.
    func raise() { raised.store(true, ordering: .relaxed) }

    /// Replaces the default action of SIGINT and SIGTERM with setting this flag.
    func install() {
        var made: [any DispatchSourceSignal] = []
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { [self] in
                if raised.exchange(true, ordering: .relaxed) { _exit(130) }
                immediateStop?()
            }
            source.resume()
            made.append(source)
        }
        sources = made
    }

    /// Restores the default actions.
    func uninstall() {
        for s in sources { s.cancel() }
        sources = []
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
