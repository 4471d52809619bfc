import ConciergeCore
import ConciergePostgres
import ConciergeRuntime
import Foundation

/// Ends a pending offer without an assignment (declined, expired or withdrawn): the agent's reserved slot is freed and,
/// when no other offer of the conversation is still pending, the conversation goes back to the waiting line, where
/// the dispatcher offers it to the next agent (never the same one in the same round: `offers` is unique per
/// escalation, round and agent).
enum OfferRelease {
    /// What was released; nil when the offer was no longer pending (someone else settled it first).
    struct Released {
        var offerID: String
        var escalationID: String
        var agentID: String
    }

    static func release(offerID: String, as state: String, reason: String?, in transaction: PostgresTransaction) throws
        -> Released?
    {
        let rows = try transaction.query(
            """
            UPDATE offers SET state = $2, reason = $3, responded_at = now()
            WHERE offer_id = $1 AND state = 'pending'
            RETURNING escalation_id, agent_id
            """,
            [offerID, state, reason]
        )
        guard let row = rows.first else { return nil }
        let escalationID = try row.decode(String.self, named: "escalation_id")
        let agentID = try row.decode(String.self, named: "agent_id")
        try transaction.execute(
            """
            UPDATE escalations SET state = 'waiting', last_offer_at = now()
            WHERE escalation_id = $1 AND state = 'offered'
              AND NOT EXISTS (SELECT 1 FROM offers WHERE escalation_id = $1 AND state = 'pending')
            """,
            [escalationID]
        )
        try transaction.execute(
            "UPDATE agents SET pending_offer_id = NULL, updated_at = now() WHERE agent_id = $1 AND pending_offer_id = $2",
            [agentID, offerID]
        )
        try transaction.execute(
            """
            UPDATE conversations c SET status = 'waiting', updated_at = now() FROM escalations e
            WHERE e.escalation_id = $1 AND e.state = 'waiting' AND c.conversation_id = e.conversation_id AND c.status = 'offered'
            """,
            [escalationID]
        )
        return Released(offerID: offerID, escalationID: escalationID, agentID: agentID)
    }

    /// The notice that tells the agent app an offer is gone.
    static func notice(_ released: Released, reason: String, at: Date) -> OutgoingMessage {
        let notice = AgentNoticeV1(
            messageID: "\(released.offerID).withdrawn", agentID: released.agentID, kind: .offerWithdrawn,
            reason: reason,
            offerID: released.offerID, conversationID: nil, at: Timestamps.format(at)
        )
        return OutgoingMessage(
            notice, id: notice.messageID, exchange: FleetNames.outcomesExchange, routingKey: notice.routingKey,
            mandatory: false)
    }
}
