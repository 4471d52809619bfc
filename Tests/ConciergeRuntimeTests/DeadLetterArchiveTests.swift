import ConciergeAMQP
import ConciergeCore
import ConciergePostgres
import ConciergeTesting
import Foundation
import Logging
import Testing

@testable import ConciergeRuntime

@Suite struct DeadLetterHeaderTests {
    @Test func headersSurviveTheArchiveWithTheirTypes() {
        let headers: [String: AMQPFieldValue] = [
            "s": .string("text"), "i": .int(-42), "b": .bool(true), "f": .bool(false), "d": .double(1.5),
            "t": .timestamp(1_700_000_000), "x": .bytes([0, 1, 255]), "v": .void,
            "x-death": .array([.table(["queue": .string("q"), "count": .int(3), "reason": .string("delivery_limit")])]),
        ]
        #expect(AMQPFieldValue.headers(json: AMQPFieldValue.headersJSON(headers)) == headers)
    }

    @Test func replayResetsRetriesAndMarksTheMessage() {
        let letter = DeadLetter(
            id: 7, messageID: "m-1", queue: "concierge.classifier", reason: "retries_exhausted",
            detail: "failed after 3 retries",
            worker: "classifier", exchange: "concierge.dead-letter", routingKey: "concierge.classifier",
            contentType: "application/json",
            type: "inquiry.v1", appID: "upstream",
            headers: [
                FleetNames.Headers.reason: "retries_exhausted", FleetNames.Headers.detail: "failed",
                FleetNames.Headers.retries: .int(3),
                FleetNames.Headers.queue: "concierge.classifier", "x-death": .array([]), "trace": "abc",
            ],
            body: Array("{}".utf8), deadLetteredAt: Date(), replayCount: 1, replayedAt: Date()
        )
        let message = DeadLetterArchive.replayMessage(letter)
        #expect(message.exchange == "" && message.routingKey == "concierge.classifier")
        #expect(message.properties.messageId == "m-1" && message.properties.type == "inquiry.v1")
        #expect(message.properties.headers[FleetNames.Headers.retries] == nil)
        #expect(message.properties.headers[FleetNames.Headers.reason] == nil)
        #expect(message.properties.headers["x-death"] == nil)
        #expect(message.properties.headers["trace"] == "abc")
        #expect(message.properties.headers[DeadLetterArchive.replayedHeader] == .int(2))
        #expect(message.properties.headers[DeadLetterArchive.archiveIDHeader] == .int(7))
    }
}

/// Who published a message travels with it through retries, the dead-letter archive and a replay, and is believed only
/// when the broker-validated `user_id` is the worker's own or an operator's.
@Suite struct FirstPublisherTests {
    func settings() -> WorkerSettings {
        var settings = WorkerSettings(name: "payout", queue: "concierge.payout", topology: .init())
        settings.amqpUser = "concierge-payout"
        settings.operatorUsers = ["concierge"]
        return settings
    }

    @Test func aReplayedEventStillCountsAsItsFirstPublishers() {
        // The escalation worker published it; the broker dead-lettered it (x-death, user_id kept): the archive records
        // the publisher, and the operator's replay carries it under the operator's own user_id.
        let delivery = AMQPDelivery(
            deliveryTag: 1, exchange: "concierge.dead-letter", routingKey: "concierge.payout", body: Array("{}".utf8),
            properties: AMQPProperties(
                headers: ["x-death": .array([.table(["queue": "concierge.payout", "reason": "delivery_limit"])])],
                messageId: "m-1", userId: "concierge-escalation")
        )
        let incoming = DeadLetterArchive.Incoming(delivery)
        let headers = AMQPFieldValue.headers(json: incoming.headersJSON)
        #expect(headers[FleetNames.Headers.producer] == .string("concierge-escalation"))
        let letter = DeadLetter(
            id: 1, messageID: "m-1", queue: "concierge.payout", reason: "broker_delivery_limit", detail: "",
            worker: nil,
            exchange: "concierge.dead-letter", routingKey: "concierge.payout", contentType: nil, type: nil, appID: nil,
            headers: headers, body: Array("{}".utf8), deadLetteredAt: Date(), replayCount: 0, replayedAt: nil
        )
        let replayed = DeadLetterArchive.replayMessage(letter, replayer: "concierge")
        #expect(replayed.properties.userId == "concierge")
        #expect(self.settings().producer(of: replayed.properties) == "concierge-escalation")
        // A worker's own dead letter already names its first publisher ("" when there was none): kept as it is.
        var own = delivery
        own.properties.userId = "concierge-payout"
        own.properties.headers[FleetNames.Headers.producer] = ""
        let ownHeaders = AMQPFieldValue.headers(json: DeadLetterArchive.Incoming(own).headersJSON)
        #expect(ownHeaders[FleetNames.Headers.producer] == .string(""))
    }

    @Test func theHeaderIsBelievedOnlyFromTheWorkerItselfOrAnOperator() {
        let settings = self.settings()
        let header: [String: AMQPFieldValue] = [FleetNames.Headers.producer: "concierge-escalation"]
        #expect(
            settings.producer(of: AMQPProperties(headers: header, userId: "concierge-payout")) == "concierge-escalation"
        )
        #expect(settings.producer(of: AMQPProperties(headers: header, userId: "concierge")) == "concierge-escalation")
        // Anyone else claiming to forward the escalation worker's event is who they are.
        #expect(
            settings.producer(of: AMQPProperties(headers: header, userId: "concierge-responder"))
                == "concierge-responder")
        #expect(settings.producer(of: AMQPProperties(headers: header)) == nil)
        #expect(
            settings.producer(of: AMQPProperties(headers: [FleetNames.Headers.producer: ""], userId: "concierge"))
                == nil)
        #expect(settings.producer(of: AMQPProperties(userId: "concierge")) == "concierge")
    }
}

/// Operators act on dead letters: archived from the queue (ack after commit, once), listed, exported, replayed to
/// their queue (applied once, even when replayed twice), purged.
@Suite(.serialized, .enabled(if: TestServices.enabled))
struct DeadLetterArchiveTests {
    @Test func deadLettersAreArchivedOnceReplayedAndAppliedOnceAndPurged() async throws {
        let fleet = try await PassthroughFleet.make("dlarchive")
        // The first worker cannot apply "flaky": it goes through the retry tiers to the dead-letter queue.
        let failing = try fleet.startWorker(environment: ["CONCIERGE_PASSTHROUGH_FAIL_ON": "flaky"])
        try await fleet.waitForConsumers()
        let bad = fleet.raw(Array("{not json".utf8), messageID: "\(fleet.id)-bad")
        #expect(try await fleet.publisher.publish([bad]) == [.confirmed])
        try await fleet.publish([0], payload: { _ in "flaky" })
        try await fleet.publish(1...5)

        // Archive this fleet's dead-letter queue until both of its dead letters are in the table.
        let archiver = DeadLetterArchiver(
            amqp: try AMQPConfiguration(url: TestServices.amqpURL, connectionName: "test-dlarchive"),
            postgres: try PostgresConfiguration(url: TestServices.postgresURL), queue: fleet.deadLetters,
            logger: fleet.logger,
            stopWhenIdleFor: .seconds(2)
        )
        var ours: [DeadLetter] = []
        let deadline = ContinuousClock.now + .seconds(60)
        while ours.count < 2 && ContinuousClock.now < deadline {
            try await archiver.archive()
            ours = try await Self.archived(fleet)
        }
        try #require(ours.count == 2)
        let byID = Dictionary(uniqueKeysWithValues: ours.map { ($0.messageID ?? "", $0) })
        let letter = try #require(byID[fleet.messageID(0)])
        #expect(letter.reason == "retries_exhausted" && letter.queue == fleet.input)
        #expect(byID["\(fleet.id)-bad"]?.reason == "malformed_json")
        // Taken from the queue, acked: none of ours left there to be redelivered (other suites' dead letters reach this
        // queue too, through the shared dead-letter exchange).
        #expect(try await fleet.ownDeadLetters(for: .seconds(1)).isEmpty)

        // Archiving is idempotent: the same dead letter received again (a crash between COMMIT and ack) is one row.
        let again = AMQPMessage(
            exchange: "", routingKey: fleet.deadLetters, body: letter.body,
            properties: AMQPProperties(
                contentType: letter.contentType, headers: letter.headers, messageId: letter.messageID)
        )
        #expect(try await fleet.publisher.publish([again]) == [.confirmed])
        try await archiver.archive()
        #expect(try await Self.archived(fleet).count == 2)

        // Export: one JSON line per dead letter, with its reason and body.
        let line = DeadLetterArchive.jsonLine(letter)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["reason"] as? String == "retries_exhausted")
        #expect(object["message_id"] as? String == fleet.messageID(0))
        #expect((object["body"] as? String)?.contains("flaky") == true)

        // Replay with a worker that can apply it: applied once; replayed again, still applied once (inbox).
        failing.terminate()
        _ = await failing.waitForExit(timeout: .seconds(20))
        let worker = try fleet.startWorker()
        defer { worker.terminate() }
        try await fleet.waitForConsumers()
        let first = try await DeadLetterArchive.replay(
            .ids([letter.id]), publisher: fleet.publisher, on: fleet.database)
        #expect(first.replayed == 1 && first.refused.isEmpty)
        try await fleet.waitForApplied(atLeast: 6)
        let second = try await DeadLetterArchive.replay(
            .ids([letter.id]), publisher: fleet.publisher, on: fleet.database)
        #expect(second.replayed == 1)
        try await Task.sleep(for: .seconds(2))
        let counts = try await fleet.appliedCounts()
        #expect(counts[fleet.messageID(0)] == 1)
        #expect(counts.count == 6 && counts.values.allSatisfy { $0 == 1 })
        let replayed = try #require(try await DeadLetterArchive.list(.ids([letter.id]), on: fleet.database).first)
        #expect(replayed.replayCount == 2 && replayed.replayedAt != nil)
        // Nothing came back to the dead-letter queue.
        #expect(try await fleet.ownDeadLetters(for: .seconds(1)).isEmpty)

        #expect(try await DeadLetterArchive.purge(.ids(ours.map(\.id)), on: fleet.database) == 2)
        #expect(try await Self.archived(fleet).isEmpty)
        await fleet.tearDown()
    }

    /// The archived dead letters of this fleet's messages (the archive also holds other runs' dead letters).
    static func archived(_ fleet: PassthroughFleet) async throws -> [DeadLetter] {
        let ids = try await fleet.database.query(
            "SELECT id FROM dead_letters WHERE message_id LIKE $1 ORDER BY id", ["\(fleet.id)-%"]
        ).map { try $0.decode(Int64.self, named: "id") }
        return ids.isEmpty ? [] : try await DeadLetterArchive.list(.ids(ids), on: fleet.database)
    }
}
