public import ConciergePostgres

/// The presence history that hourly pay is counted from: `agent_presence_sessions` (migration 0030), one row per
/// stretch an agent was online, from the database clock. The payout side reads it when it closes a pay period.
///
/// - ``cameOnline(agentID:in:)`` (online and heartbeat events): opens a session at `now()` with the agent's market,
///   unless one is open (a partial unique index makes two replicas racing on the same agent open only one). Only an
///   active agent is available: a paused or suspended one online opens no session.
/// - ``wentOffline(agentIDs:in:)`` (offline events, the heartbeat timeout): closes the open sessions at the agent's
///   last sign of life (`agents.last_seen_at`, never later than `now()`), so the silent minutes before a timeout
///   are not counted as time online.
///
/// Both are deferred writes (``PostgresTransaction/enqueue(_:_:then:)``): they travel with the transaction's next
/// round trip or its COMMIT, adding none of their own.
public enum PresenceLog {
    public static func cameOnline(agentID: String, in transaction: PostgresTransaction) throws {
        transaction.enqueue(
            """
            INSERT INTO agent_presence_sessions (agent_id, market, online_at)
            SELECT agent_id, market, now() FROM agents WHERE agent_id = $1 AND status = 'active'
            ON CONFLICT (agent_id) WHERE offline_at IS NULL DO NOTHING
            """,
            [agentID]
        )
    }

    public static func wentOffline(agentIDs: [String], in transaction: PostgresTransaction) throws {
        guard !agentIDs.isEmpty else { return }
        transaction.enqueue(
            """
            UPDATE agent_presence_sessions s
            SET offline_at = greatest(s.online_at, least(now(), coalesce(a.last_seen_at, now())))
            FROM agents a
            WHERE a.agent_id = s.agent_id AND s.agent_id = ANY($1::text[]) AND s.offline_at IS NULL
            """,
            [agentIDs]
        )
    }
}
