public import ConciergeAMQP
import ConciergeCore
public import Logging

/// Consumes this replica's queue and hands each offer, notice, assignment and customer message to the tabs of its
/// agent here. A message is decoded and checked first (parse at the edge): a body that is not a valid contract, or
/// whose `agent_id` is not the agent of its routing key, is dropped and counted, never shown. Messages are acked once
/// handed to the tabs: a tab that is gone misses nothing it cannot get back, because a (re)connecting tab starts
/// from the database (pending offers, held conversations with their transcripts).
public struct BrokerBridge: Sendable {
    public let consumer: AMQPConsumer
    public let hub: AgentHub
    public let metrics: GatewayMetrics
    public let logger: Logger

    public init(consumer: AMQPConsumer, hub: AgentHub, metrics: GatewayMetrics, logger: Logger) {
        self.consumer = consumer
        self.hub = hub
        self.metrics = metrics
        self.logger = logger
    }

    /// Runs until cancelled.
    public func run() async throws {
        while !Task.isCancelled {
            let deliveries: [AMQPDelivery]
            do {
                deliveries = try await self.consumer.receive(max: 200, timeout: .milliseconds(500))
            } catch is CancellationError {
                return
            }
            guard !deliveries.isEmpty else { continue }
            for delivery in deliveries {
                guard let (agentID, frame, schema) = Self.frame(for: delivery) else {
                    self.metrics.delivered(.invalid, tabs: 0)
                    self.logger.warning(
                        "Dropped an invalid message for agents",
                        metadata: ["amqp.routing_key": "\(delivery.routingKey)"]
                    )
                    continue
                }
                let tabs = await self.hub.deliver(agentID, frame)
                self.metrics.delivered(schema, tabs: tabs)
            }
            try await self.consumer.ack(deliveries)
        }
    }

    /// The agent and the frame for a delivery, or `nil` when it is not a valid message for the agent of its key.
    static func frame(for delivery: AMQPDelivery) -> (String, String, GatewayMetrics.Delivered)? {
        let key = delivery.routingKey
        let routedAgent: String
        if key.hasPrefix("offer.agent.") {
            routedAgent = String(key.dropFirst("offer.agent.".count))
        } else if key.hasPrefix("conversation.agent.") {
            routedAgent = String(key.dropFirst("conversation.agent.".count))
        } else {
            return nil
        }
        let decoder = ContractDecoder()
        do {
            switch try decoder.schema(of: delivery.body) {
            case .offerV1:
                let offer = try decoder.decode(OfferV1.self, from: delivery.body)
                guard offer.agentID == routedAgent else { return nil }
                return (routedAgent, ServerFrame.contract("offer", offer), .offer)
            case .agentNoticeV1:
                let notice = try decoder.decode(AgentNoticeV1.self, from: delivery.body)
                guard notice.agentID == routedAgent else { return nil }
                return (routedAgent, ServerFrame.contract("notice", notice), .agentNotice)
            case .assignmentV1:
                let assignment = try decoder.decode(AssignmentV1.self, from: delivery.body)
                guard assignment.agentID == routedAgent else { return nil }
                return (routedAgent, ServerFrame.contract("assignment", assignment), .assignment)
            case .customerMessageV1:
                let message = try decoder.decode(CustomerMessageV1.self, from: delivery.body)
                guard message.agentID == routedAgent else { return nil }
                return (routedAgent, ServerFrame.contract("customer_message", message), .customerMessage)
            default:
                return nil
            }
        } catch {
            return nil
        }
    }
}
