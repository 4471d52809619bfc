import ConciergeAMQP
import ConciergeCore
import ConciergePostgres
import ConciergeRuntime
import ConciergeSchema
import ConciergeTesting
import Foundation
import Logging
import ResponderWorker
import Testing

/// Routed inquiries published to the real broker are answered from real facts in PostgreSQL, or handed off.
@Suite(.serialized, .enabled(if: TestServices.enabled))
struct ResponderIntegrationTests {
    @Test func answersFromSeededFactsClarifiesAmbiguityAndHandsOffWhenTheAnswerDidNotHelp() async throws {
        let logger = Logger(label: "test.responder")
        let amqp = try AMQPConfiguration(url: TestServices.amqpURL, connectionName: "test-responder")
        let postgres = try PostgresConfiguration(url: TestServices.postgresURL)
        let database = try await PostgresConnection.connect(configuration: postgres, logger: logger)
        try await Migrator.fleet().migrate(database, logger: logger)
        let publisher = try await AMQPPublisher.connect(configuration: amqp, logger: logger)

        let id = TestServices.uniqueName("rsp").replacingOccurrences(of: ".", with: "-")
        let channel = "t" + String(id.split(separator: "-").last!.prefix(20))
        let input = "test.\(id).responder"
        let outcomes = "test.\(id).outcomes"
        let humanLane = "test.\(id).human"
        var topology = FleetTopology().workerQueue(input)
        topology.exchanges += [
            .init(name: FleetNames.workExchange, type: "direct"),
            .init(name: FleetNames.outcomesExchange, type: "topic"),
        ]
        topology.queues += [
            .init(name: outcomes, arguments: ["x-queue-type": .string("quorum")]),
            .init(name: humanLane, arguments: ["x-queue-type": .string("quorum")]),
        ]
        topology.bindings += [
            .init(queue: outcomes, exchange: FleetNames.outcomesExchange, routingKey: "reply.\(channel)"),
            .init(queue: outcomes, exchange: FleetNames.outcomesExchange, routingKey: "handoff.\(channel)"),
            .init(queue: humanLane, exchange: FleetNames.workExchange, routingKey: FleetNames.humanLaneKey),
        ]
        try await publisher.declare(topology)

        // A demo-seeded customer, a customer with two Zalando purchases, and one for the follow-up.
        let seeded = "\(id)-seeded"
        let twice = "\(id)-twice"
        let follower = "\(id)-follow"
        let asOf = CalendarDate(year: 2026, month: 11, day: 20)
        // The population of one fixed demo customer (the generator is seeded by the customer id, so this is the same
        // data on every run), moved to this run's customer id.
        var seededPurchases = DemoFacts.purchases(customerID: "cus_0042", currency: .eur, asOf: asOf)
        seededPurchases = seededPurchases.map { purchase in
            var purchase = purchase
            purchase.customerID = seeded
            purchase.id = "\(id)-\(purchase.id)"
            purchase.payments = purchase.payments.map {
                var p = $0
                p.id = "\(id)-\(p.id)"
                p.purchaseID = purchase.id
                return p
            }
            purchase.refunds = purchase.refunds.map {
                var r = $0
                r.id = "\(id)-\(r.id)"
                r.purchaseID = purchase.id
                return r
            }
            if var plan = purchase.plan {
                plan.id = "\(id)-\(plan.id)"
                plan.instalments = plan.instalments.map {
                    var i = $0
                    i.planID = plan.id
                    return i
                }
                purchase.plan = plan
            }
            return purchase
        }
        let handMade = [
            ResponderFixtures.purchase(
                id: "\(id)-z1", customer: twice, merchant: "Zalando", reference: "ZL-\(id.suffix(6))1", amount: 14997,
                on: "2026-10-03"),
            ResponderFixtures.purchase(
                id: "\(id)-z2", customer: twice, merchant: "Zalando", reference: "ZL-\(id.suffix(6))2", amount: 8997,
                on: "2026-11-01"),
            ResponderFixtures.purchase(
                id: "\(id)-f1", customer: follower, merchant: "IKEA", reference: "IK-\(id.suffix(6))", amount: 60000,
                on: "2026-10-10"),
        ]
        let allPurchases = seededPurchases + handMade
        _ = try await database.transaction { try FactsWriter.insert(allPurchases, in: $0) }

        var settings = WorkerSettings(name: "responder-\(id)", queue: input, topology: topology)
        settings.batchSize = 20
        let worker = WorkerService(
            settings: settings, handler: ResponderHandler(responder: ResponderFixtures.responder), amqp: amqp,
            postgres: postgres,
            health: WorkerHealth(), logger: logger
        )
        let running = Task { try await worker.run() }
        let outcomeConsumer = try await AMQPConsumer.connect(
            configuration: amqp, queue: outcomes, prefetch: 100, logger: logger)
        let humanConsumer = try await AMQPConsumer.connect(
            configuration: amqp, queue: humanLane, prefetch: 100, logger: logger)

        func publish(_ routed: RoutedInquiryV1, messageID: String? = nil) async throws {
            let message = AMQPMessage(
                exchange: "", routingKey: input, body: routed.encodedBody(),
                properties: AMQPProperties(
                    contentType: "application/json", persistent: true, messageId: messageID ?? routed.messageID,
                    type: "routed_inquiry.v1")
            )
            #expect(try await publisher.publish([message]) == [.confirmed])
        }
        func collect(_ consumer: AMQPConsumer, count: Int) async throws -> [[UInt8]] {
            var bodies: [[UInt8]] = []
            let deadline = ContinuousClock.now + .seconds(30)
            while bodies.count < count && ContinuousClock.now < deadline {
                let deliveries = try await consumer.receive(max: 100, timeout: .milliseconds(300))
                bodies += deliveries.map(\.body).filter { String(decoding: $0, as: UTF8.self).contains(id) }
                if !deliveries.isEmpty { try await consumer.ack(deliveries) }
            }
            return bodies
        }

        // 1. Payment status for the seeded customer: the reply states their latest payment and next instalment.
        let status = ResponderFixtures.routed(
            id: "\(id)-status", customer: seeded, text: "did my payment go through?", intent: "payment_status",
            channel: channel)
        // 2. Two Zalando purchases: a clarifying question naming both.
        let ambiguous = ResponderFixtures.routed(
            id: "\(id)-ambiguous", customer: twice, text: "did my Zalando payment go through?",
            intent: "payment_status", channel: channel)
        // 3. A first answer in a conversation…
        let first = ResponderFixtures.routed(
            id: "\(id)-first", customer: follower, text: "when is my next instalment?", intent: "next_instalment",
            conversation: "\(id)-conv", channel: channel)
        for routed in [status, ambiguous, first] { try await publish(routed) }
        let replies = try await collect(outcomeConsumer, count: 3).map {
            try ContractDecoder().decode(ReplyV1.self, from: $0)
        }
        // Publishing is at-least-once: a second copy of a reply must not crash the whole test process.
        let byInquiry = Dictionary(replies.map { ($0.inquiryID, $0) }, uniquingKeysWith: { first, _ in first })

        let statusReply = try #require(byInquiry[status.inquiry.messageID])
        let stored = try #require(
            try await FactsStore.loadAsync(customer: seeded, database: database).purchases.filter {
                $0.latestPayment != nil
            }
            .max {
                ($0.latestPayment!.attemptedOn, $0.latestPayment!.id) < (
                    $1.latestPayment!.attemptedOn, $1.latestPayment!.id
                )
            })
        let payment = try #require(stored.latestPayment)
        #expect(statusReply.messageID == "\(status.inquiry.messageID).reply")
        #expect(statusReply.kind == "answer")
        #expect(
            statusReply.text.contains(
                "\(payment.amount.formatted(ResponderFixtures.language("en"))) to \(stored.merchant) (order \(stored.orderReference))"
            ), "\(statusReply.text)")
        #expect(
            statusReply.text.contains(payment.attemptedOn.formatted(ResponderFixtures.language("en"))),
            "\(statusReply.text)")
        if let next = stored.nextInstalment {
            #expect(
                statusReply.text.contains("\(next.amount.formatted(ResponderFixtures.language("en")))")
                    && statusReply.text.contains(next.dueOn.formatted(ResponderFixtures.language("en"))),
                "\(statusReply.text)")
        }

        let question = try #require(byInquiry[ambiguous.inquiry.messageID])
        #expect(question.kind == "clarification")
        #expect(
            question.text.contains(handMade[0].orderReference) && question.text.contains(handMade[1].orderReference))

        let firstReply = try #require(byInquiry[first.inquiry.messageID])
        #expect(
            firstReply.text
                == "Your next instalment of 200.00 EUR for IKEA (order \(handMade[2].orderReference)) is due on 10 November 2026."
        )

        // 4. …then "that didn't help" in the same conversation: the human lane gets it with a summary.
        let unhappy = ResponderFixtures.routed(
            id: "\(id)-unhappy", customer: follower, text: "that didn't help, still not resolved",
            intent: "next_instalment", conversation: "\(id)-conv", channel: channel)
        try await publish(unhappy)
        // The same inquiry again under another message id: answered once only.
        try await publish(status, messageID: "\(status.messageID).again")
        let handed = try await collect(humanConsumer, count: 1).map {
            try ContractDecoder().decode(RoutedInquiryV1.self, from: $0)
        }
        let human = try #require(handed.first { $0.inquiry.messageID == unhappy.inquiry.messageID })
        #expect(human.messageID == "\(unhappy.inquiry.messageID).handoff.routed")
        #expect(human.decision.route == .human)
        #expect(human.decision.reasons.contains("handoff:not_helped"))
        let summary = try #require(human.handoff)
        #expect(summary.reason == "not_helped")
        #expect(summary.aiReply == firstReply.text)
        #expect(summary.summary.contains("Intent: next_instalment"))
        #expect(summary.facts.contains { $0.id == "\(id)-f1" })

        let notices = try await collect(outcomeConsumer, count: 1).map {
            try ContractDecoder().decode(HandoffV1.self, from: $0)
        }
        #expect(notices.map(\.messageID) == ["\(unhappy.inquiry.messageID).handoff"])

        let counts = try await database.query(
            """
            SELECT (SELECT count(*) FROM ai_replies WHERE inquiry_id = $1) AS replies,
                   (SELECT count(*) FROM ai_handoffs WHERE inquiry_id = $2) AS handoffs,
                   (SELECT facts::text FROM ai_replies WHERE inquiry_id = $1) AS facts
            """,
            [status.inquiry.messageID, unhappy.inquiry.messageID]
        )
        let row = try #require(counts.first)
        #expect(try row.decode(Int.self, named: "replies") == 1)
        #expect(try row.decode(Int.self, named: "handoffs") == 1)
        #expect(try row.decode(String.self, named: "facts").contains(payment.id))

        // The conversations: the clarifying question waits for its answer; the handed-off one is with the human lane
        // (sticky); the transcript holds the AI's replies and the hand-off, in order.
        let lanes = try await database.query(
            "SELECT conversation_id, status, pending_clarification FROM conversations WHERE conversation_id = ANY($1::text[])",
            [[ambiguous.inquiry.conversation, "\(id)-conv"]]
        )
        let byConversation = Dictionary(
            uniqueKeysWithValues: try lanes.map {
                (
                    try $0.decode(String.self, named: "conversation_id"),
                    (
                        try $0.decode(String.self, named: "status"),
                        try $0.decode(String?.self, named: "pending_clarification")
                    )
                )
            })
        #expect(byConversation[ambiguous.inquiry.conversation]?.1 == "payment_status")
        #expect(byConversation["\(id)-conv"]?.0 == "waiting")
        #expect(byConversation["\(id)-conv"]?.1 == nil)
        let transcript = try await Transcript.entries(conversationID: "\(id)-conv", on: database)
        #expect(transcript.map(\.kind) == ["message", "handed_off"])
        #expect(transcript.map(\.seq) == [1, 2])
        #expect(transcript.first?.text == firstReply.text)
        #expect(transcript.first?.author == .ai)

        running.cancel()
        try? await running.value
        await outcomeConsumer.close()
        await humanConsumer.close()
        for queue in [input, outcomes, humanLane] { try? await publisher.deleteQueue(queue) }
        await publisher.close()
        await database.close()
    }
}

extension ResponderIntegrationTests {
    /// A Swedish account question through the real worker: facts in PostgreSQL, the inquiry and the reply over the real
    /// broker. The reply is in Swedish, with Swedish money and dates, and says it is Swedish; "det hjälpte inte" in the
    /// same conversation goes to the human lane.
    @Test func answersASwedishAccountQuestionInSwedish() async throws {
        let logger = Logger(label: "test.responder.sv")
        let amqp = try AMQPConfiguration(url: TestServices.amqpURL, connectionName: "test-responder-sv")
        let postgres = try PostgresConfiguration(url: TestServices.postgresURL)
        let database = try await PostgresConnection.connect(configuration: postgres, logger: logger)
        try await Migrator.fleet().migrate(database, logger: logger)
        let publisher = try await AMQPPublisher.connect(configuration: amqp, logger: logger)

        let id = TestServices.uniqueName("rsv").replacingOccurrences(of: ".", with: "-")
        let channel = "t" + String(id.split(separator: "-").last!.prefix(20))
        let input = "test.\(id).responder"
        let outcomes = "test.\(id).outcomes"
        let humanLane = "test.\(id).human"
        var topology = FleetTopology().workerQueue(input)
        topology.exchanges += [
            .init(name: FleetNames.workExchange, type: "direct"),
            .init(name: FleetNames.outcomesExchange, type: "topic"),
        ]
        topology.queues += [
            .init(name: outcomes, arguments: ["x-queue-type": .string("quorum")]),
            .init(name: humanLane, arguments: ["x-queue-type": .string("quorum")]),
        ]
        topology.bindings += [
            .init(queue: outcomes, exchange: FleetNames.outcomesExchange, routingKey: "reply.\(channel)"),
            .init(queue: humanLane, exchange: FleetNames.workExchange, routingKey: FleetNames.humanLaneKey),
        ]
        try await publisher.declare(topology)

        let customer = "\(id)-sv"
        let reference = "EL-\(id.suffix(6))"
        let ellos = ResponderFixtures.purchase(
            id: "\(id)-e1", customer: customer, merchant: "Ellos", reference: reference, amount: 374_850,
            on: "2026-10-15", currency: .sek
        )
        _ = try await database.transaction { try FactsWriter.insert([ellos], in: $0) }

        var settings = WorkerSettings(name: "responder-\(id)", queue: input, topology: topology)
        settings.batchSize = 20
        let worker = WorkerService(
            settings: settings, handler: ResponderHandler(responder: ResponderFixtures.responder), amqp: amqp,
            postgres: postgres,
            health: WorkerHealth(), logger: logger
        )
        let running = Task { try await worker.run() }
        let outcomeConsumer = try await AMQPConsumer.connect(
            configuration: amqp, queue: outcomes, prefetch: 100, logger: logger)
        let humanConsumer = try await AMQPConsumer.connect(
            configuration: amqp, queue: humanLane, prefetch: 100, logger: logger)
        func publish(_ routed: RoutedInquiryV1) async throws {
            let message = AMQPMessage(
                exchange: "", routingKey: input, body: routed.encodedBody(),
                properties: AMQPProperties(
                    contentType: "application/json", persistent: true, messageId: routed.messageID,
                    type: "routed_inquiry.v1")
            )
            #expect(try await publisher.publish([message]) == [.confirmed])
        }
        func collect(_ consumer: AMQPConsumer, count: Int) async throws -> [[UInt8]] {
            var bodies: [[UInt8]] = []
            let deadline = ContinuousClock.now + .seconds(30)
            while bodies.count < count && ContinuousClock.now < deadline {
                let deliveries = try await consumer.receive(max: 100, timeout: .milliseconds(300))
                bodies += deliveries.map(\.body).filter { String(decoding: $0, as: UTF8.self).contains(id) }
                if !deliveries.isEmpty { try await consumer.ack(deliveries) }
            }
            return bodies
        }

        let question = ResponderFixtures.routed(
            id: "\(id)-next", customer: customer, text: "När ska jag betala min nästa delbetalning?",
            intent: "next_instalment",
            language: "sv", conversation: "\(id)-conv", channel: channel
        )
        try await publish(question)
        let replies = try await collect(outcomeConsumer, count: 1).map {
            try ContractDecoder().decode(ReplyV1.self, from: $0)
        }
        let reply = try #require(replies.first { $0.inquiryID == question.inquiry.messageID })
        #expect(reply.language == "sv")
        #expect(reply.kind == "answer")
        #expect(
            reply.text
                == "Din nästa delbetalning på 1\u{00A0}249,50\u{00A0}kr för Ellos (beställning \(reference)) förfaller den 15 november 2026."
        )
        #expect(reply.facts.map(\.id).contains(ellos.id))

        let unhappy = ResponderFixtures.routed(
            id: "\(id)-unhappy", customer: customer, text: "det hjälpte inte", intent: "next_instalment",
            language: "sv",
            conversation: "\(id)-conv", channel: channel
        )
        try await publish(unhappy)
        let handed = try await collect(humanConsumer, count: 1).map {
            try ContractDecoder().decode(RoutedInquiryV1.self, from: $0)
        }
        let human = try #require(handed.first { $0.inquiry.messageID == unhappy.inquiry.messageID })
        #expect(human.decision.reasons.contains("handoff:not_helped"))
        #expect(human.handoff?.aiReply == reply.text)

        running.cancel()
        try? await running.value
        await outcomeConsumer.close()
        await humanConsumer.close()
        for queue in [input, outcomes, humanLane] { try? await publisher.deleteQueue(queue) }
        await publisher.close()
        await database.close()
    }
}

extension FactsStore {
    /// The stored facts of one customer, read in a transaction of its own.
    static func loadAsync(customer: String, database: PostgresConnection) async throws -> CustomerFacts {
        try await database.transaction { try FactsStore.load(customers: [customer], in: $0)[customer]! }
    }
}
