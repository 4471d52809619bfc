public import ConciergePostgres

/// Staff agents: the company's own employees, the fallback pool a conversation is offered to once it has waited
/// `escalation.fallback_after_s` (gig agents come first). They are not customers and need no eligibility check.
public enum StaffAgents {
    /// Creates or updates a staff agent (active; offline until it signs in).
    public static func upsert(
        agentID: String, displayName: String, market: String, languages: [String], skills: [String], capacity: Int,
        in transaction: PostgresTransaction
    ) throws {
        try transaction.execute(
            """
            INSERT INTO agents (agent_id, customer_id, kind, display_name, status, status_reason, market, languages, skills, capacity)
            VALUES ($1, NULL, 'staff', $2, 'active', 'staff', $3, $4::text[], $5::text[], $6)
            ON CONFLICT (agent_id) DO UPDATE SET display_name = $2, market = $3, languages = $4::text[], skills = $5::text[],
                capacity = $6, updated_at = now()
            WHERE agents.kind = 'staff'
            """,
            [agentID, displayName, market.uppercased(), languages, skills, capacity]
        )
        try transaction.execute(
            "INSERT INTO agent_status_history (agent_id, status, reason) VALUES ($1, 'active', 'staff')", [agentID]
        )
    }
}
