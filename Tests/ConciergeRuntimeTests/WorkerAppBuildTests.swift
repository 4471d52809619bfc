import ConciergeAMQP
import ConciergeBench
import ConciergeCore
import ConciergeRuntime
import ConciergeTesting
import Configuration
import Foundation
import ServiceLifecycle
import Testing

/// `WorkerApp.build` assembles a whole worker process (its consumer and the health server, in one service group)
/// from a configuration, without the process-wide bootstrap `run` does: here in-process, against the real services.
@Suite(.serialized, .enabled(if: TestServices.enabled))
struct WorkerAppBuildTests {
    @Test func aWholeWorkerIsBuiltFromConfigurationAndRunsInProcess() async throws {
        let fleet = try await PassthroughFleet.make("build")
        let port = HTTPProbe.freePort()
        let values: [AbsoluteConfigKey: ConfigValue] = [
            "amqp.url": .init(.string(fleet.amqpURL), isSecret: true),
            "postgres.url": .init(.string(fleet.postgresURL), isSecret: true),
            "http.host": "127.0.0.1",
            "http.port": .init(.int(port), isSecret: false),
            "worker.batch.size": 20,
        ]
        let configuration = FleetConfiguration(reader: ConfigReader(provider: InMemoryProvider(values: values)))
        let built = try await WorkerApp.build(
            name: fleet.workerName, configuration: configuration, logger: fleet.logger
        ) { context in
            let handler = PassthroughHandler(
                consumer: fleet.workerName, outputExchange: FleetNames.outcomesExchange,
                outputRoutingKey: fleet.outputKey
            )
            return [
                try context.worker(
                    name: fleet.workerName, queue: fleet.input, handler: handler, topology: fleet.topology)
            ]
        }
        let running = Task { try await built.group.run() }

        #expect(try await HTTPProbe.becameReady(port: port), "/readyz never answered 200")
        let ids = try await fleet.publish(0..<10)
        #expect(try await fleet.drainSink(expected: 10) == Set(ids))
        #expect(try await fleet.appliedCounts() == Dictionary(uniqueKeysWithValues: ids.map { ($0, 1) }))

        // As SIGTERM would: the group stops gracefully, and the health server with it.
        await built.group.triggerGracefulShutdown()
        try await running.value
        #expect(await HTTPProbe.get(port: port, path: "/healthz") == nil)
        await fleet.tearDown()
    }
}
