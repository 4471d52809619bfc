import ClassifierWorker
import ConciergeAMQP
import ConciergeCore
import ConciergePostgres
import ConciergeRuntime
import ConciergeSchema
import ConciergeTesting
import Foundation
import Logging
import Testing

/// Routing follows the conversation, through the real classifier worker, broker and database: once with the human
/// lane a conversation stays there until resolved; the answer to the AI's clarifying question goes back to the AI with
/// the question's intent; a repeat contact is another conversation on the same intent.
@Suite(.serialized, .enabled(if: TestServices.enabled))
struct ConversationRoutingTests {
    @Test func humanLaneSticksClarificationReturnsToTheAIAndRepeatsCountOtherConversationsOnly() async throws {
        let logger = Logger(label: "test.classifier.conversations")
        let amqp = try AMQPConfiguration(url: TestServices.amqpURL, connectionName: "test-classifier-conversations")
        let postgres = try PostgresConfiguration(url: TestServices.postgresURL)
        let database = try await PostgresConnection.connect(configuration: postgres, logger: logger)
        try await Migrator.fleet().migrate(database, logger: logger)
        let publisher = try await AMQPPublisher.connect(configuration: amqp, logger: logger)
        let id = TestServices.uniqueName("conv").replacingOccurrences(of: ".", with: "-")
        let input = "test.\(id).inquiries"
        let aiLane = "test.\(id).ai"
        let humanLane = "test.\(id).human"
        var topology = FleetTopology().workerQueue(input)
        topology.exchanges.append(.init(name: FleetNames.workExchange, type: "direct"))
        topology.queues += [
            .init(name: aiLane, arguments: ["x-queue-type": .string("quorum")]),
            .init(name: humanLane, arguments: ["x-queue-type": .string("quorum")]),
        ]
        topology.bindings += [
            .init(queue: aiLane, exchange: FleetNames.workExchange, routingKey: FleetNames.aiLaneKey),
            .init(queue: humanLane, exchange: FleetNames.workExchange, routingKey: FleetNames.humanLaneKey),
        ]
        try await publisher.declare(topology)
        let customer = "\(id)-cus"
        let other = "\(id)-other"
        _ = try await database.query(
            "INSERT INTO customers (customer_id, display_name) VALUES ($1, 'Rob'), ($2, 'Ola')", [customer, other]
        )
        var settings = WorkerSettings(name: "classifier-\(id)", queue: input, topology: topology)
        settings.batchSize = 50
        let worker = WorkerService(
            settings: settings,
            handler: ClassifierHandler(classifier: ShippedClassifier.classifier, modelVersion: "test"),
            amqp: amqp, postgres: postgres, health: WorkerHealth(), logger: logger
        )
        let running = Task { try await worker.run() }
        let aiConsumer = try await AMQPConsumer.connect(
            configuration: amqp, queue: aiLane, prefetch: 100, logger: logger)
        let humanConsumer = try await AMQPConsumer.connect(
            configuration: amqp, queue: humanLane, prefetch: 100, logger: logger)
        defer { running.cancel() }

        func send(_ suffix: String, _ text: String, conversation: String, from sender: String? = nil) async throws {
            let inquiry = InquiryV1(
                messageID: "\(id)-\(suffix)", conversationID: conversation, customerID: sender ?? customer,
                channel: "chat", text: text,
                sentAt: Timestamps.format(Date())
            )
            let message = AMQPMessage(
                exchange: "", routingKey: input, body: inquiry.encodedBody(),
                properties: AMQPProperties(
                    contentType: "application/json", persistent: true, messageId: inquiry.messageID, type: "inquiry.v1")
            )
            #expect(try await publisher.publish([message]) == [.confirmed])
        }
        /// The next routed inquiry of this test on either lane.
        func routed(_ suffix: String) async throws -> (lane: String, routed: RoutedInquiryV1) {
            let deadline = ContinuousClock.now + .seconds(30)
            while ContinuousClock.now < deadline {
                for (lane, consumer) in [(aiLane, aiConsumer), (humanLane, humanConsumer)] {
                    let deliveries = try await consumer.receive(max: 10, timeout: .milliseconds(100))
                    if !deliveries.isEmpty { try await consumer.ack(deliveries) }
                    for delivery in deliveries {
                        let routed = try ContractDecoder().decode(RoutedInquiryV1.self, from: delivery.body)
                        if routed.inquiry.messageID == "\(id)-\(suffix)" { return (lane, routed) }
                    }
                }
            }
            throw TestFailure("\(suffix) was never routed")
        }

        // 1. Sticky: asked for a person, then a routine question in the same conversation still goes to a person.
        try await send("ask", "I'd like to talk to a human please", conversation: "\(id)-c1")
        #expect(try await routed("ask").lane == humanLane)
        try await send("routine", "did my payment to Zalando go through?", conversation: "\(id)-c1")
        let sticky = try await routed("routine")
        #expect(sticky.lane == humanLane)
        #expect(sticky.routed.decision.reasons.contains("human_lane"), "\(sticky.routed.decision.reasons)")
        // Once resolved, the conversation is the AI's again.
        _ = try await database.query(
            "UPDATE conversations SET status = 'resolved' WHERE conversation_id = $1", ["\(id)-c1"])
        try await send("after", "did my payment to Zalando go through?", conversation: "\(id)-c1")
        #expect(try await routed("after").lane == aiLane)

        // 2. The answer to a clarifying question keeps the question's intent, however short it is (another customer,
        //    so that none of this is a repeat contact).
        try await send("question", "did my payment go through?", conversation: "\(id)-c2", from: other)
        let question = try await routed("question")
        #expect(question.lane == aiLane)
        _ = try await database.query(
            "UPDATE conversations SET pending_clarification = 'payment_status' WHERE conversation_id = $1", ["\(id)-c2"]
        )
        try await send("answer", "the IKEA one", conversation: "\(id)-c2", from: other)
        let answer = try await routed("answer")
        #expect(answer.lane == aiLane, "\(answer.routed.decision.reasons)")
        #expect(answer.routed.decision.intent == "payment_status")
        #expect(answer.routed.decision.reasons.contains("clarification_reply"))
        let consumed = try await database.query(
            "SELECT pending_clarification FROM conversations WHERE conversation_id = $1", ["\(id)-c2"]
        ).single().decode(String?.self, named: "pending_clarification")
        #expect(consumed == nil)
        // Without the pending question, the same short text is not confidently classified: it goes to a person.
        try await send("bare", "the IKEA one", conversation: "\(id)-c3", from: other)
        #expect(try await routed("bare").lane == humanLane)

        // 3. Repeat contact: the same intent in the same conversation is not a repeat; in another one it is.
        try await send("again", "did my payment to Zalando go through?", conversation: "\(id)-c2", from: other)
        let again = try await routed("again")
        #expect(!again.routed.decision.reasons.contains("repeat_contact"), "\(again.routed.decision.reasons)")
        try await send("elsewhere", "did my payment to Zalando go through?", conversation: "\(id)-c4", from: other)
        let elsewhere = try await routed("elsewhere")
        #expect(elsewhere.routed.decision.reasons.contains("repeat_contact"), "\(elsewhere.routed.decision.reasons)")
        #expect(elsewhere.lane == humanLane)

        // The transcript of c1 holds every customer message and routing decision, numbered in order.
        let transcript = try await Transcript.entries(conversationID: "\(id)-c1", on: database)
        #expect(transcript.map(\.seq) == Array(1...6))
        #expect(transcript.map(\.kind) == ["message", "routed", "message", "routed", "message", "routed"])
        #expect(transcript[0].text == "I'd like to talk to a human please")
        #expect(transcript[0].author == .customer)

        running.cancel()
        try? await running.value
        await aiConsumer.close()
        await humanConsumer.close()
        for queue in [input, aiLane, humanLane] { try? await publisher.deleteQueue(queue) }
        await publisher.close()
        await database.close()
    }
}
