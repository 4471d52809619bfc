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
        /// The agent answers in a conversation it holds.
        case reply(agent: String, conversation: String)
        case resolve(agent: String, conversation: String)
        case feedback(agent: String, conversation: String, customer: String)
        /// The simulated customer writes again in a conversation a person holds.
        case customerMessage(conversation: String, customer: String)
    }

    let publisher: AMQPPublisher
    private var pending: [AMQPMessage] = []

    init(publisher: AMQPPublisher) {
        self.publisher = publisher
    }

    @discardableResult
    func enqueue(
        _ agentID: String, _ event: AgentEventV1.Event, offerID: String? = nil, reason: String? = nil, conversationID: String? = nil,
        text: String? = nil, outcome: String? = nil
    ) -> String {
        let message = AgentEventV1(
            messageID: "sim.\(UUID().uuidString)", agentID: agentID, event: event, sentAt: Timestamps.format(Date()),
            offerID: offerID, reason: reason, conversationID: conversationID, text: text, outcome: outcome
        )
        self.pending.append(self.message(message.encodedBody(), id: message.messageID, key: message.routingKey, type: "agent_event.v1"))
        return message.messageID
    }

    /// A rating from the conversation's customer.
    func enqueueFeedback(agentID: String, conversationID: String, customerID: String, csat: Int) {
        let feedback = FeedbackV1(
            messageID: "sim.\(UUID().uuidString)", conversationID: conversationID, agentID: agentID, customerID: customerID, csat: csat,
            submittedAt: Timestamps.format(Date())
        )
        self.pending.append(self.message(feedback.encodedBody(), id: feedback.messageID, key: "agent.\(agentID).feedback", type: "feedback.v1"))
    }

    func flush() async throws {
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
