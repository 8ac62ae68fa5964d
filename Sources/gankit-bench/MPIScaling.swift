import Foundation
import GANKit
import GANKitDistributed

/// SGAN over the ranks of an Open MPI job (`mpirun -np K gankit-bench --mpi …`): the transport's
/// latency and bandwidth between ranks 0 and 1 (ping-pong), then SGAN's iteration time with the
/// bytes and the time rank 0 spends in communication, for each N of `--sgan-pairs`.
struct MPIScaling {
    let bench: GANKitBench

    func run() throws {
        let mpi = try MPICommunicator()
        let communicator = MeasuredCommunicator(mpi)
        defer { mpi.finalize() }
        if mpi.size > 1 { pingPong(communicator) }
        let benchCase = BenchmarkCase(rawValue: String(bench.case.split(separator: ",").first ?? "toy-sgan")) ?? .toySGAN
        for n in bench.sganPairCounts {
            var configuration = benchCase.configuration(batch: 64, threads: 1, pairs: n)
            configuration.topology = .sgan(SGANOptions(pairs: n))
            let schedule = RankSGANSchedule(communicator: communicator, pairs: n)
            let trainer = try Trainer(configuration: configuration, data: benchCase.data(for: configuration), sganSchedule: schedule)
            if mpi.rank != 0 {
                schedule.serve(trainer)
                continue
            }
            trainer.train(iterations: 2)  // the first iteration also distributes the players
            communicator.reset()
            let iterations = benchCase == .toySGAN ? bench.iterations : max(2, bench.iterations / 10)
            let start = DispatchTime.now().uptimeNanoseconds
            trainer.train(iterations: iterations)
            let ms = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6 / Double(iterations)
            let perIteration = Double(communicator.bytesSent + communicator.bytesReceived) / Double(iterations)
            let commMs = communicator.seconds * 1000 / Double(iterations)
            print(String(format: "{\"case\": \"%@\", \"ranks\": %d, \"pairs\": %d, \"placement\": \"%@\", \"iteration_ms\": %.3f, \"rank0_bytes_per_iteration\": %.0f, \"rank0_communication_ms\": %.3f, \"rank0_communication_share\": %.4f}",
                         benchCase.rawValue, mpi.size, n, schedule.placement.description, ms, perIteration, commMs, commMs / ms))
            schedule.finish()
        }
    }

    /// Half the round trip of a message between ranks 0 and 1, for sizes from 8 B to 16 MB.
    private func pingPong(_ c: MeasuredCommunicator) {
        guard c.rank < 2 else { return }
        for size in [8, 1 << 10, 64 << 10, 1 << 20, 16 << 20] {
            let message = [UInt8](repeating: 1, count: size)
            let repeats = size >= 1 << 20 ? 20 : 200
            for _ in 0..<5 { exchange(c, message) }
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<repeats { exchange(c, message) }
            let oneWay = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 / Double(2 * repeats)
            if c.rank == 0 {
                print(String(format: "{\"ping_pong_bytes\": %d, \"one_way_us\": %.2f, \"bandwidth_gb_per_s\": %.3f}", size, oneWay * 1e6, Double(size) / oneWay / 1e9))
            }
        }
    }

    private func exchange(_ c: MeasuredCommunicator, _ message: [UInt8]) {
        if c.rank == 0 {
            c.send(message, to: 1, tag: 9)
            _ = c.receive(from: 1, tag: 9)
        } else {
            _ = c.receive(from: 0, tag: 9)
            c.send(message, to: 0, tag: 9)
        }
        c.flush()
    }
}
