import ArgumentParser
import ConciergeAMQP
import ConciergeBench
import ConciergeCore
import ConciergeRuntime
import Foundation

/// Runs the pass-through worker on `--queue`, forwarding to `--output-exchange` / `--output-key`. Used by
/// `bench passthrough` and by the runtime's fault tests (which kill it).
struct PassthroughWorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "passthrough",
        abstract: "Run the pass-through worker (benchmarks and fault tests)."
    )

    @Option(help: "Queue to consume (declared as a worker queue).")
    var queue: String

    @Option(help: "Worker name: the inbox key and metrics dimension.")
    var name = "passthrough"

    @Option(help: "Exchange for the forwarded copies.")
    var outputExchange = FleetNames.outcomesExchange

    @Option(help: "Routing key for the forwarded copies.")
    var outputKey: String

    func run() async throws {
        let queue = self.queue
        let name = self.name
        let outputKey = self.outputKey
        let outputExchange = self.outputExchange
        let environment = ProcessInfo.processInfo.environment
        let flaky = environment["CONCIERGE_PASSTHROUGH_FLAKY_ON"].map {
            ($0, Int(environment["CONCIERGE_PASSTHROUGH_FLAKY_TIMES"] ?? "") ?? 2)
        }
        let slow = environment["CONCIERGE_PASSTHROUGH_SLOW_ON"].map {
            ($0, Duration.milliseconds(Int(environment["CONCIERGE_PASSTHROUGH_SLOW_MS"] ?? "") ?? 5000))
        }
        try await WorkerApp.run(
            name: name, queue: queue,
            topologyFor: { configuration in
                var topology = configuration.topology.workerQueue(queue)
                topology.exchanges.append(.init(name: outputExchange, type: "topic"))
                return topology
            }
        ) { context in
            PassthroughHandler(
                consumer: name, outputExchange: outputExchange, outputRoutingKey: outputKey,
                crashMarker: ProcessInfo.processInfo.environment["CONCIERGE_PASSTHROUGH_CRASH_ON"],
                failMarker: ProcessInfo.processInfo.environment["CONCIERGE_PASSTHROUGH_FAIL_ON"],
                flaky: flaky, slow: slow
            )
        }
    }
}
