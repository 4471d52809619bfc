public import ConciergeCore
public import ConciergeRuntime
import Configuration

/// Who may publish agent events: the agent app's AMQP users.
///
/// An `agent_event.v1` names its agent in the body, and the body is whatever the publisher wrote. The agent app (the
/// gateway) stamps the agent id from the signed-in session, and publishes with the AMQP `user_id` property set to its
/// own AMQP user; RabbitMQ refuses a publish whose `user_id` is not the connection's user. So an agent event whose
/// `user_id` is one of the agent-app users was written by the agent app; any other (absent, or another user) is
/// forged and is dead-lettered with the reason `untrusted_sender`.
///
/// Only `agent_event.v1` is checked: `feedback.v1` and `agent.applied.v1` come from the customer-facing systems.
///
/// Key: `escalation.agent_app_users` (`[concierge-gateway]`): the AMQP users of the agent apps.
public struct AgentEventSource: Sendable, Hashable {
    /// The AMQP users whose agent events are accepted.
    public var allowedUsers: Set<String>

    /// The gateway's default AMQP user (`scripts/services` creates it).
    public static let defaultUsers: Set<String> = ["concierge-gateway"]

    public init(allowedUsers: Set<String> = Self.defaultUsers) {
        self.allowedUsers = allowedUsers
    }

    /// Reads `escalation.agent_app_users`.
    public init(configuration: FleetConfiguration) {
        let users = configuration.reader.stringArray(
            forKey: "escalation.agent_app_users", default: Array(Self.defaultUsers).sorted()
        ).filter { !$0.isEmpty }
        self.init(allowedUsers: Set(users))
    }

    /// Refuses an agent event that was not published by an agent-app user.
    ///
    /// - Parameters:
    ///   - schema: the message's schema; only `agent_event.v1` is checked.
    ///   - userID: the inbound message's AMQP `user_id` (``InboundMessage/userID``).
    /// - Throws: ``ContractError`` `untrusted_sender` (the detail names the user, never the body).
    public func check(schema: MessageSchema, userID: String?) throws(ContractError) {
        guard schema == .agentEventV1 else { return }
        guard let userID else {
            throw ContractError(
                .untrustedSender, detail: "agent_event.v1 without a user_id: not published by the agent app")
        }
        guard self.allowedUsers.contains(userID) else {
            throw ContractError(
                .untrustedSender, detail: "agent_event.v1 from AMQP user '\(userID)', which is not an agent-app user")
        }
    }

    /// ``check(schema:userID:)`` for an inbound message whose schema is already known.
    public func check(_ message: InboundMessage, schema: MessageSchema) throws(ContractError) {
        try self.check(schema: schema, userID: message.userID)
    }
}
