import ConciergeCore
import ConciergePostgres
import ConciergeRuntime
import Foundation

/// Takes an active assignment back from its agent and puts the conversation at the front of the waiting line: the
/// agent's capacity is freed, the agent is not offered it again, a new offer round starts, the transcript says why and
/// the agent app is told (`agent_notice.v1` `conversation_released`).
///
/// Reasons: `presence_lost` (offline beyond the grace period), `no_reply` (the customer waited too long for the
/// agent), `transferred` (the agent sent it to another skill), `handed_back` (the agent gave it back to the line).
enum AssignmentRelease {
    struct Released {
        var assignmentID: String
        var escalationID: String
        var conversationID: String
        var customerID: String
        var agentID: String
    }

    /// Releases the agent's active assignment of the conversation; nil when there is none (already released).
    static func release(
        conversationID: String, agentID: String, reason: String, skill: String? = nil, note: String? = nil,
        in transaction: PostgresTransaction
    ) throws -> (released: Released, outgoing: [OutgoingMessage])? {
        guard
            let row = try transaction.query(
                """
                UPDATE assignments SET state = 'released', released_at = now(), release_reason = $3
                WHERE conversation_id = $1 AND agent_id = $2 AND state = 'active'
                RETURNING assignment_id, escalation_id, customer_id, released_at
                """,
                [conversationID, agentID, reason]
            ).first
        else { return nil }
        let released = Released(
            assignmentID: try row.decode(String.self, named: "assignment_id"),
            escalationID: try row.decode(String.self, named: "escalation_id"),
            conversationID: conversationID, customerID: try row.decode(String.self, named: "customer_id"),
            agentID: agentID
        )
        let at = try row.decode(Date.self, named: "released_at")
        try transaction.execute(
            "UPDATE agents SET active_conversations = active_conversations - 1, updated_at = now() WHERE agent_id = $1",
            [agentID]
        )
        try transaction.execute(
            """
            UPDATE escalations SET state = 'waiting', front_of_line = true, excluded_agent_id = $2,
                   offer_round = offer_round + 1, last_offer_at = NULL, notified_eta_minutes = NULL,
                   skills = CASE WHEN $3::text IS NULL THEN skills ELSE ARRAY[$3::text] END
            WHERE escalation_id = $1
            """,
            [released.escalationID, agentID, skill]
        )
        try transaction.execute(
            """
            UPDATE conversations SET status = 'waiting', assigned_agent_id = NULL, updated_at = now()
            WHERE conversation_id = $1
            """,
            [conversationID]
        )
        var description: String
        switch reason {
        case "presence_lost": description = "\(agentID) went offline; back to the front of the line"
        case "no_reply": description = "\(agentID) did not reply in time; back to the front of the line"
        case "transferred": description = "transferred by \(agentID) to \(skill ?? "another skill")"
        default: description = "handed back to the line by \(agentID)"
        }
        if let note { description += ". Note: \(note)" }
        var lines = TranscriptLines()
        lines.append(
            conversationID: conversationID, customerID: released.customerID,
            messageID: "\(released.assignmentID).released",
            author: .system, authorID: reason == "transferred" || reason == "handed_back" ? agentID : "escalation",
            kind: reason == "transferred" ? "transferred" : "released", text: description
        )
        lines.enqueue(in: transaction)
        let notice = AgentNoticeV1(
            messageID: "\(released.assignmentID).released", agentID: agentID, kind: .conversationReleased,
            reason: reason,
            offerID: nil, conversationID: conversationID, at: Timestamps.format(at)
        )
        return (
            released,
            [
                OutgoingMessage(
                    notice, id: notice.messageID, exchange: FleetNames.outcomesExchange, routingKey: notice.routingKey,
                    mandatory: false)
            ]
        )
    }
}
