import ConciergeAMQP
import ConciergeBench
import ConciergeCore
import ConciergePostgres
import ConciergeRuntime
import ConciergeTesting
import Foundation
import Testing

/// A worker that takes messages only from its contract's producers (`WorkerSettings.acceptedProducers`, set by the
/// executables from `<worker>.producers`): what the classifier's AMQP user published is applied, also after a trip
/// through a retry tier (re-published under the worker's own user with the first publisher kept); what anyone else
/// published, or a message without a user_id, is dead-lettered as `untrusted_sender` and never applied.
@Suite(.serialized, .enabled(if: TestServices.enabled))
struct AcceptedProducersTests {
    @Test func onlyTheNamedProducersMessagesAreAppliedEvenAfterARetry() async throws {
        let fleet = try await PassthroughFleet.make("producers")
        // The classifier's user may publish to concierge.work only: the test's input queue is bound there.
        try await fleet.publisher.declare(
            AMQPTopology(
                exchanges: [.init(name: FleetNames.workExchange, type: "direct")],
                bindings: [.init(queue: fleet.input, exchange: FleetNames.workExchange, routingKey: fleet.input)]
            )
        )
        var topology = FleetTopology(retryTiers: PassthroughFleet.retryTiers).workerQueue(fleet.input)
        topology.exchanges.append(.init(name: FleetNames.outcomesExchange, type: "topic"))
        var settings = WorkerSettings(name: fleet.workerName, queue: fleet.input, topology: topology)
        settings.retryTiers = PassthroughFleet.retryTiers
        settings.acceptedProducers = ["concierge-classifier"]
        let worker = WorkerService(
            settings: settings,
            handler: PassthroughHandler(
                consumer: fleet.workerName, outputExchange: FleetNames.outcomesExchange,
                outputRoutingKey: fleet.outputKey,
                flaky: (marker: "flaky", times: 1)
            ),
            amqp: try AMQPConfiguration(url: fleet.amqpURL, connectionName: "test-producers"),
            postgres: try PostgresConfiguration(url: fleet.postgresURL), health: WorkerHealth(), logger: fleet.logger
        )
        let running = Task { try await worker.run() }

        func message(_ sequence: Int, _ payload: String, user: String?) -> AMQPMessage {
            let id = fleet.messageID(sequence)
            return AMQPMessage(
                exchange: FleetNames.workExchange, routingKey: fleet.input,
                body: PassthroughV1(messageID: id, sequence: sequence, sentAtNanoseconds: 0, payload: payload)
                    .encodedBody(),
                properties: AMQPProperties(
                    contentType: "application/json", persistent: true, messageId: id, userId: user)
            )
        }
        let classifier = try await AMQPPublisher.connect(
            configuration: try AMQPConfiguration(
                url: TestServices.amqpURL(as: "concierge-classifier"), connectionName: "test-producers-classifier"),
            logger: fleet.logger
        )
        let responder = try await AMQPPublisher.connect(
            configuration: try AMQPConfiguration(
                url: TestServices.amqpURL(as: "concierge-responder"), connectionName: "test-producers-responder"),
            logger: fleet.logger
        )
        #expect(
            try await classifier.publish([
                message(0, "ok", user: "concierge-classifier"), message(1, "flaky", user: "concierge-classifier"),
            ])
            .allSatisfy { $0 == .confirmed })
        #expect(
            try await fleet.publisher.publish([message(2, "ok", user: "concierge"), message(3, "ok", user: nil)])
                .allSatisfy { $0 == .confirmed })
        #expect(
            try await responder.publish([message(4, "ok", user: "concierge-responder")]).allSatisfy { $0 == .confirmed }
        )

        #expect(
            try await fleet.drainSink(expected: 2, timeout: .seconds(30)) == [fleet.messageID(0), fleet.messageID(1)])
        let letters = try await fleet.drainDeadLetters(until: { $0.count >= 3 }, timeout: .seconds(30))
        var reasons: [String: String] = [:]
        for letter in letters {
            reasons[letter.properties.messageId ?? "?"] =
                letter.properties.headers[FleetNames.Headers.reason]?.stringValue
        }
        #expect(
            reasons == [
                fleet.messageID(2): "untrusted_sender", fleet.messageID(3): "untrusted_sender",
                fleet.messageID(4): "untrusted_sender",
            ])
        let applied = try await fleet.appliedCounts()
        #expect(applied == [fleet.messageID(0): 1, fleet.messageID(1): 1], "\(applied)")

        running.cancel()
        try? await running.value
        await classifier.close()
        await responder.close()
        await fleet.tearDown()
    }
}
