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

    /// The AMQP user the events carry as `user_id` (validated by RabbitMQ): the escalation worker accepts agent events
    /// only from `escalation.agent_app_users`, so a simulation runs as a configured agent-app user.
    let userID: String

    init(publisher: AMQPPublisher, userID: String) {
        self.publisher = publisher
        self.userID = userID
    }

    @discardableResult
    func enqueue(
        _ agentID: String, _ event: AgentEventV1.Event, offerID: String? = nil, reason: String? = nil,
        conversationID: String? = nil,
        text: String? = nil, outcome: String? = nil
    ) -> String {
        let message = AgentEventV1(
            messageID: "sim.\(UUID().uuidString)", agentID: agentID, event: event, sentAt: Timestamps.format(Date()),
            offerID: offerID, reason: reason, conversationID: conversationID, text: text, outcome: outcome
        )
        self.pending.append(
            self.message(message.encodedBody(), id: message.messageID, key: message.routingKey, type: "agent_event.v1"))
        return message.messageID
    }

    /// A rating from the conversation's customer.
    func enqueueFeedback(agentID: String, conversationID: String, customerID: String, csat: Int) {
        let feedback = FeedbackV1(
            messageID: "sim.\(UUID().uuidString)", conversationID: conversationID, agentID: agentID,
            customerID: customerID, csat: csat,
            submittedAt: Timestamps.format(Date())
        )
        self.pending.append(
            self.message(
                feedback.encodedBody(), id: feedback.messageID, key: "agent.\(agentID).feedback", type: "feedback.v1"))
    }

    /// Publishes what is pending and waits for the broker's confirms; whatever is not confirmed (nacked, or the
    /// connection dropped under it) is published again, as an app would retry, so no event of the simulation is lost.
    func flush() async throws {
        let messages = self.pending
        self.pending = []
        try await self.publishConfirmed(messages)
    }

    /// Publishes now, again until every message is confirmed.
    func publishConfirmed(_ messages: [AMQPMessage]) async throws {
        var messages = messages
        var attempt = 0
        while !messages.isEmpty {
            let outcomes: [AMQPPublishOutcome]
            do {
                outcomes = try await self.publisher.publish(messages)
            } catch {
                outcomes = Array(repeating: .nacked, count: messages.count)
            }
            messages = zip(messages, outcomes).filter { $0.1 != .confirmed }.map(\.0)
            guard !messages.isEmpty else { return }
            attempt += 1
            self.unconfirmed += messages.count
            guard attempt < 20 else {
                throw SimulationError("\(messages.count) agent events were not confirmed after 20 attempts")
            }
            try await Task.sleep(for: .milliseconds(min(2_000, 50 * attempt * attempt)))
        }
    }

    /// Publishes that had to be repeated (nacked or interrupted), for the report.
    private(set) var unconfirmed = 0

    private func message(_ body: [UInt8], id: String, key: String, type: String) -> AMQPMessage {
        AMQPMessage(
            exchange: FleetNames.agentsExchange, routingKey: key, body: body,
            properties: AMQPProperties(
                contentType: "application/json", persistent: true, messageId: id, type: type, userId: self.userID)
        )
    }
}

struct SimulationError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
