import ConciergeAMQP
import ConciergeCore
import ConciergeRuntime
import ConciergeTesting
import Foundation
import Testing

/// The bad-input storm of issue 14: 10,000 generated malformed and hostile messages mixed into valid traffic (and
/// duplicates of it) through a real worker process. Every bad one is dead-lettered with the reason its kind calls for,
/// every valid one is applied exactly once, the worker never restarts, and its dead-letter counters by reason equal
/// what arrived. The worker dead-letters to a private exchange, so the fleet's shared dead-letter queue stays clean.
@Suite(.serialized, .enabled(if: TestServices.enabled))
struct BadInputStormFaultTests {
    /// One kind of bad input: how to build its body (given the message's id) and the reason it must get.
    struct Kind: Sendable {
        var name: String
        var reason: String
        /// Whether the message carries its id in the AMQP property (else only in a body marker).
        var hasID = true
        var body: @Sendable (String) -> [UInt8]
    }

    static func json(_ text: String) -> [UInt8] { Array(text.utf8) }

    static let kinds: [Kind] = [
        Kind(name: "invalid UTF-8", reason: "malformed_json") { id in
            json(#"{"schema":"passthrough.v1","message_id":"\#(id)","sequence":1,"sent_at_ns":0,"payload":""#) + [
                0xFF, 0xFE, 0xC0, 0x80,
            ] + json(#""}"#)
        },
        Kind(name: "NUL in text", reason: "unstorable_text") { id in
            json(#"{"schema":"passthrough.v1","message_id":"\#(id)","sequence":1,"sent_at_ns":0,"payload":"a\u0000b"}"#)
        },
        Kind(name: "raw NUL byte", reason: "malformed_json") { id in
            json(#"{"schema":"passthrough.v1","message_id":"\#(id)","sequence":1,"sent_at_ns":0,"payload":"a"#) + [0]
                + json(#"b"}"#)
        },
        Kind(name: "deep nesting", reason: "malformed_json") { id in
            json(#"{"schema":"passthrough.v1","message_id":"\#(id)","sequence":1,"sent_at_ns":0,"payload":"#)
                + Array(repeating: UInt8(ascii: "["), count: 5000) + Array(repeating: UInt8(ascii: "]"), count: 5000)
                + json("}")
        },
        Kind(name: "shallow nesting where text belongs", reason: "schema_violation") { id in
            json(
                #"{"schema":"passthrough.v1","message_id":"\#(id)","sequence":1,"sent_at_ns":0,"payload":[[[[["x"]]]]]}"#
            )
        },
        // Valid JSON syntax, but Foundation's parser refuses numbers it cannot represent before any field is decoded,
        // so the contract decoder reports the body as malformed rather than the field as invalid.
        Kind(name: "huge number", reason: "malformed_json") { id in
            json(
                #"{"schema":"passthrough.v1","message_id":"\#(id)","sequence":123456789012345678901234567890,"sent_at_ns":0,"payload":"x"}"#
            )
        },
        Kind(name: "number beyond double", reason: "malformed_json") { id in
            json(#"{"schema":"passthrough.v1","message_id":"\#(id)","sequence":1,"sent_at_ns":1e400,"payload":"x"}"#)
        },
        Kind(name: "negative sequence", reason: "schema_violation") { id in
            json(#"{"schema":"passthrough.v1","message_id":"\#(id)","sequence":-1,"sent_at_ns":0,"payload":"x"}"#)
        },
        Kind(name: "wrong type", reason: "schema_violation") { id in
            json(#"{"schema":"passthrough.v1","message_id":"\#(id)","sequence":"one","sent_at_ns":0,"payload":"x"}"#)
        },
        Kind(name: "null where text belongs", reason: "schema_violation") { id in
            json(#"{"schema":"passthrough.v1","message_id":"\#(id)","sequence":1,"sent_at_ns":0,"payload":null}"#)
        },
        Kind(name: "missing field", reason: "schema_violation") { id in
            json(#"{"schema":"passthrough.v1","message_id":"\#(id)","sent_at_ns":0,"payload":"x"}"#)
        },
        Kind(name: "unknown schema version", reason: "unknown_schema") { id in
            json(#"{"schema":"passthrough.v9","message_id":"\#(id)","sequence":1,"sent_at_ns":0,"payload":"x"}"#)
        },
        Kind(name: "unknown schema", reason: "unknown_schema") { id in
            json(#"{"schema":"evil.v1","message_id":"\#(id)","sequence":1,"sent_at_ns":0,"payload":"x"}"#)
        },
        Kind(name: "not JSON", reason: "malformed_json") { id in json("<xml id=\"\(id)\"/>") },
        Kind(name: "truncated JSON", reason: "malformed_json") { id in
            json(#"{"schema":"passthrough.v1","message_id":"\#(id)","sequence":1,"#)
        },
        // Parses, but is not an object: the contract's shape is violated.
        Kind(name: "a JSON array", reason: "schema_violation") { id in json(#"["\#(id)"]"#) },
        Kind(name: "text over the limit", reason: "oversized") { id in
            let head = json(
                #"{"schema":"passthrough.v1","message_id":"\#(id)","sequence":1,"sent_at_ns":0,"payload":""#)
            let tail = json(#""}"#)
            return head + Array(repeating: UInt8(ascii: "x"), count: 64 * 1024 + 1 - head.count - tail.count) + tail
        },
        Kind(name: "no message id anywhere", reason: "missing_message_id", hasID: false) { id in
            json(#"{"schema":"passthrough.v1","sequence":1,"sent_at_ns":0,"payload":"\#(id)"}"#)
        },
    ]

    /// A valid body of exactly the size limit: applied, not oversized.
    static func atTheLimit(_ id: String, sequence: Int) -> [UInt8] {
        let head = json(
            #"{"schema":"passthrough.v1","message_id":"\#(id)","sequence":\#(sequence),"sent_at_ns":0,"payload":""#)
        let tail = json(#""}"#)
        return head + Array(repeating: UInt8(ascii: "y"), count: 64 * 1024 - head.count - tail.count) + tail
    }

    @Test func badInputStormDeadLettersEveryBadMessageWithItsReasonAndAppliesEveryGoodOneOnce() async throws {
        let badCount = Int(TestServices.environment["CONCIERGE_STORM_BAD_MESSAGES"] ?? "") ?? 10_000
        let fleet = try await PassthroughFleet.make("storm")
        let exchange = "test.\(fleet.id).dlx"
        let deadLetters = "test.\(fleet.id).storm-dead"
        try await fleet.publisher.declare(
            AMQPTopology(
                exchanges: [.init(name: exchange, type: "fanout")],
                queues: [.init(name: deadLetters, arguments: ["x-queue-type": .string("quorum")])],
                bindings: [.init(queue: deadLetters, exchange: exchange, routingKey: "")]
            )
        )
        let port = HTTPProbe.freePort()
        let worker = try fleet.startWorker(environment: [
            "WORKER_DEAD_LETTER_EXCHANGE": exchange, "HTTP_PORT": "\(port)", "HTTP_HOST": "127.0.0.1",
        ])
        defer { worker.terminate() }
        try await fleet.waitForConsumers()
        let pid = worker.processIdentifier

        // The messages: bad ones cycling through the kinds, valid ones (some exactly at the size limit), and
        // duplicates of valid ones, shuffled together.
        var expected: [String: String] = [:]  // bad id (or body marker) → reason
        var messages: [AMQPMessage] = []
        for n in 0..<badCount {
            let kind = Self.kinds[n % Self.kinds.count]
            let id = "\(fleet.id)-bad-\(n)"
            expected[id] = kind.reason
            messages.append(fleet.raw(kind.body(id), messageID: kind.hasID ? id : nil))
        }
        var valid: [String] = []
        for n in 0..<2000 {
            let id = fleet.messageID(n)
            valid.append(id)
            let body =
                n % 100 == 0
                ? Self.atTheLimit(id, sequence: n)
                : PassthroughV1(messageID: id, sequence: n, sentAtNanoseconds: 0, payload: "ok").encodedBody()
            messages.append(fleet.raw(body, messageID: id))
            if n % 4 == 0 { messages.append(fleet.raw(body, messageID: id)) }  // a duplicate
        }
        var generator = SystemRandomNumberGenerator()
        messages.shuffle(using: &generator)
        let started = ContinuousClock.now
        for start in stride(from: 0, to: messages.count, by: 500) {
            let outcomes = try await fleet.publisher.publish(Array(messages[start..<min(start + 500, messages.count)]))
            try #require(outcomes.allSatisfy { $0 == .confirmed })
        }

        // Collect the dead letters until every bad message is accounted for.
        let consumer = try await AMQPConsumer.connect(
            configuration: try AMQPConfiguration(url: TestServices.amqpURL, connectionName: "test-storm"),
            queue: deadLetters,
            prefetch: 2000, topology: .init(), logger: fleet.logger
        )
        var reasons: [String: [String]] = [:]  // id → reasons seen
        let deadline = ContinuousClock.now + .seconds(240)
        while reasons.count < expected.count && ContinuousClock.now < deadline {
            let deliveries = try await consumer.receive(max: 2000, timeout: .milliseconds(500))
            for delivery in deliveries {
                let body = String(decoding: delivery.body, as: UTF8.self)
                let id =
                    delivery.properties.messageId ?? body.firstMatch(of: /"payload":"([^"]+)"/).map { String($0.1) }
                    ?? "?"
                reasons[id, default: []].append(
                    delivery.properties.headers[FleetNames.Headers.reason]?.stringValue ?? "none")
            }
            try await consumer.ack(deliveries)
        }
        await consumer.close()
        try await fleet.waitForApplied(atLeast: valid.count, timeout: .seconds(120))
        let elapsed = ContinuousClock.now - started
        print(
            "[storm] \(messages.count) messages (\(badCount) bad in \(Self.kinds.count) kinds, \(valid.count) valid, duplicates) settled in \(elapsed)"
        )

        var wrong: [String: Int] = [:]
        for (id, reason) in expected where reasons[id] != [reason] {
            let kind = Self.kinds[(Int(id.split(separator: "-").last ?? "") ?? 0) % Self.kinds.count].name
            wrong["\(kind): expected \(reason), got \(reasons[id] ?? [])", default: 0] += 1
        }
        #expect(wrong.isEmpty, "bad messages without their reason: \(wrong)")
        #expect(reasons.keys.allSatisfy { expected[$0] != nil }, "valid messages were dead-lettered")
        try await Task.sleep(for: .milliseconds(500))
        let counts = try await fleet.appliedCounts()
        #expect(Set(counts.keys) == Set(valid), "lost: \(Set(valid).subtracting(counts.keys).count)")
        #expect(counts.values.allSatisfy { $0 == 1 }, "applied twice: \(counts.filter { $0.value > 1 }.count)")

        // No restart, and the counters say what happened.
        #expect(worker.isRunning && worker.processIdentifier == pid)
        let metrics = await HTTPProbe.get(port: port, path: "/metrics")?.body ?? ""
        let byReason = Dictionary(grouping: expected.values, by: { $0 }).mapValues(\.count)
        for (reason, count) in byReason {
            #expect(
                PrometheusText.value(metrics, "concierge_dead_lettered_total", ["reason": reason]) == Double(count),
                "\(reason)")
        }
        #expect(
            PrometheusText.value(metrics, "concierge_messages_total", ["outcome": "processed"]) == Double(valid.count))
        #expect(PrometheusText.value(metrics, "concierge_messages_total", ["outcome": "retried"]) == 0)
        try? await fleet.publisher.deleteQueue(deadLetters)
        try? await fleet.publisher.deleteExchange(exchange)
        await fleet.tearDown()
    }
}
