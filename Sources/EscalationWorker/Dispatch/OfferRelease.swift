import ConciergePostgres

/// Ends a pending offer without an assignment (declined, expired or withdrawn): the agent's reserved slot is freed and
/// the conversation goes back to the waiting line, where the dispatcher offers it to the next agent (never the same
/// one: `offers` is unique per escalation and agent).
enum OfferRelease {
    /// Returns false when the offer was no longer pending (someone else settled it first).
    static func release(offerID: String, as state: String, reason: String?, in transaction: PostgresTransaction) throws -> Bool {
        let rows = try transaction.query(
            """
            UPDATE offers SET state = $2, reason = $3, responded_at = now()
            WHERE offer_id = $1 AND state = 'pending'
            RETURNING escalation_id, agent_id
            """,
            [offerID, state, reason]
        )
        guard let row = rows.first else { return false }
        let escalationID = try row.decode(String.self, at: 0)
        let agentID = try row.decode(String.self, at: 1)
        try transaction.execute(
            "UPDATE escalations SET state = 'waiting' WHERE escalation_id = $1 AND state = 'offered'", [escalationID]
        )
        try transaction.execute(
            "UPDATE agents SET pending_offer_id = NULL, updated_at = now() WHERE agent_id = $1 AND pending_offer_id = $2",
            [agentID, offerID]
        )
        return true
    }
}
