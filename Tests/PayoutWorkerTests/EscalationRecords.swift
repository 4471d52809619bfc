import ConciergeCore
import ConciergePostgres
import PayoutWorker

extension PayoutTestDatabase {
    /// Writes what the escalation worker would have recorded before publishing each resolution among `inputs` (the
    /// customer, the agent, the escalation, the accepted offer and the resolved assignment), with the event's own
    /// values: the payout worker re-derives a resolution's pay from these rows and refuses an event they contradict.
    func seedEscalationRecords(for inputs: [PayoutInput]) async throws {
        for input in inputs {
            guard case .resolved(let event, _) = input else { continue }
            try await Self.seed(event, on: self.connection)
        }
    }

    static func seed(_ event: ConversationResolvedV1, on connection: PostgresConnection) async throws {
        let escalation = "\(event.assignmentID)-escalation"
        _ = try await connection.transaction { transaction in
            try transaction.queries([
                PostgresStatement(
                    "INSERT INTO customers (customer_id, display_name, market) VALUES ($1, 'Customer', $2) ON CONFLICT DO NOTHING",
                    [event.customerID, event.market]
                ),
                PostgresStatement(
                    "INSERT INTO customers (customer_id, display_name) VALUES ('agent-customer-' || $1, 'Agent') ON CONFLICT DO NOTHING",
                    [event.agentID]
                ),
                PostgresStatement(
                    """
                    INSERT INTO agents (agent_id, customer_id, status, status_reason, market, languages, skills, capacity)
                    VALUES ($1, 'agent-customer-' || $1, 'active', 'test', $2, '{en}', '{}', 3) ON CONFLICT DO NOTHING
                    """,
                    [event.agentID, event.market]
                ),
                PostgresStatement(
                    """
                    INSERT INTO escalations (escalation_id, conversation_id, customer_id, market, language, skills, priority, vip,
                                             service_class, class_rank, complexity, reasons, state, sla_due_at)
                    VALUES ($1, $2, $3, $4, 'en', '{}', 'normal', $5, 'normal', 0, $6, '{}', 'resolved', now())
                    ON CONFLICT DO NOTHING
                    """,
                    [escalation, event.conversationID, event.customerID, event.market, event.vip, event.complexity]
                ),
                PostgresStatement(
                    """
                    INSERT INTO offers (offer_id, escalation_id, agent_id, attempt, state, surge_bp, expires_at)
                    VALUES ($1, $2, $3, 1, 'accepted', $4, now()) ON CONFLICT DO NOTHING
                    """,
                    [event.offerID, escalation, event.agentID, event.surgeMultiplierBasisPoints]
                ),
                PostgresStatement(
                    """
                    INSERT INTO assignments (assignment_id, escalation_id, offer_id, conversation_id, agent_id, customer_id, state,
                                             outcome, surge_bp, resolved_at)
                    VALUES ($1, $2, $3, $4, $5, $6, 'resolved', $7, $8, now()) ON CONFLICT DO NOTHING
                    """,
                    [
                        event.assignmentID, escalation, event.offerID, event.conversationID, event.agentID,
                        event.customerID,
                        event.outcome, event.surgeMultiplierBasisPoints,
                    ]
                ),
            ])
        }
    }
}
