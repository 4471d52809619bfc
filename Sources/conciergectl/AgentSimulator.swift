import ConciergeAMQP
import ConciergeCore
import ConciergePostgres
import Foundation

/// The agent app side of `simulate agents`: buffers agent events and feedback and publishes them to the agents
/// exchange in batches (with confirms), as the real app would.
final class AgentSimulator {
    enum Action {
        case online(String)
        case accept(OfferV1)
        case decline(OfferV1)
        case reply(OfferV1)
        case resolve(OfferV1)
        case feedback(OfferV1)
    }

    let publisher: AMQPPublisher
    private var pending: [AMQPMessage] = []
    private var feedback: [(offer: OfferV1, csat: Int)] = []

    init(publisher: AMQPPublisher) {
        self.publisher = publisher
    }

    func enqueue(
        _ agentID: String, _ event: AgentEventV1.Event, offerID: String? = nil, reason: String? = nil, conversationID: String? = nil,
        text: String? = nil, outcome: String? = nil
    ) {
        let message = AgentEventV1(
            messageID: "sim.\(UUID().uuidString)", agentID: agentID, event: event, sentAt: Timestamps.format(Date()),
            offerID: offerID, reason: reason, conversationID: conversationID, text: text, outcome: outcome
        )
        self.pending.append(self.message(message.encodedBody(), id: message.messageID, key: message.routingKey, type: "agent_event.v1"))
    }

    /// Feedback needs the conversation's customer, looked up at flush time.
    func enqueueFeedback(offer: OfferV1, customerID: String?, csat: Int) {
        self.feedback.append((offer, csat))
    }

    func flush(database: PostgresConnection? = nil) async throws {
        if let database, !self.feedback.isEmpty {
            let items = self.feedback
            self.feedback = []
            var customers: [String: String] = [:]
            for row in try await database.query(
                "SELECT escalation_id, customer_id FROM escalations WHERE escalation_id = ANY($1::text[])", [items.map(\.offer.escalationID)]
            ) {
                customers[try row.decode(String.self, at: 0)] = try row.decode(String.self, at: 1)
            }
            for item in items {
                guard let customer = customers[item.offer.escalationID] else { continue }
                let feedback = FeedbackV1(
                    messageID: "sim.\(UUID().uuidString)", conversationID: item.offer.conversationID, agentID: item.offer.agentID,
                    customerID: customer, csat: item.csat, submittedAt: Timestamps.format(Date())
                )
                self.pending.append(
                    self.message(feedback.encodedBody(), id: feedback.messageID, key: "agent.\(feedback.agentID).feedback", type: "feedback.v1")
                )
            }
        }
        guard !self.pending.isEmpty else { return }
        let messages = self.pending
        self.pending = []
        _ = try await self.publisher.publish(messages)
    }

    private func message(_ body: [UInt8], id: String, key: String, type: String) -> AMQPMessage {
        AMQPMessage(
            exchange: FleetNames.agentsExchange, routingKey: key, body: body,
            properties: AMQPProperties(contentType: "application/json", persistent: true, messageId: id, type: type)
        )
    }
}
