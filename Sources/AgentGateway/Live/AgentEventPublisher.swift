public import ConciergeAMQP
public import ConciergeCore

/// Publishes agent events to the agents exchange with publisher confirms, `mandatory` (an event no queue takes is an
/// error the tab is told about), and `user_id` = the gateway's AMQP user, which RabbitMQ validates and the escalation
/// worker checks (`AgentEventSource`).
public struct AgentEventPublisher: Sendable {
    public let publisher: AMQPPublisher
    public let exchange: String
    public let userID: String

    public init(publisher: AMQPPublisher, exchange: String, userID: String) {
        self.publisher = publisher
        self.exchange = exchange
        self.userID = userID
    }

    public enum Outcome: Sendable, Equatable {
        case confirmed
        case notConfirmed(String)
    }

    public func publish(_ event: AgentEventV1) async -> Outcome {
        let message = AMQPMessage(
            exchange: self.exchange, routingKey: event.routingKey, body: event.encodedBody(),
            properties: AMQPProperties(
                contentType: "application/json", persistent: true, messageId: event.messageID,
                type: AgentEventV1.schema.rawValue,
                appId: "concierge-agent-gateway", userId: self.userID
            ),
            mandatory: true
        )
        do {
            let outcomes = try await self.publisher.publish([message])
            guard outcomes == [.confirmed] else { return .notConfirmed("\(outcomes)") }
            return .confirmed
        } catch {
            return .notConfirmed("\(error)")
        }
    }
}
