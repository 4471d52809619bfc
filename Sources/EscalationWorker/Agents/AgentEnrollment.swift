public import ConciergeCore
public import ConciergePostgres
import Foundation

/// Enrolls a customer as an agent after checking the eligibility rules; shared by `agent.applied.v1` and
/// `conciergectl agents enroll`.
public enum AgentEnrollment {
    /// What came of an application.
    public struct Outcome: Sendable, Hashable {
        public var agentID: String
        /// `active`, or `rejected` with `reasons`; `unchanged` when the customer already is an agent (the application
        /// updates languages, skills and capacity but not the status).
        public var status: String
        public var reasons: [String]
    }

    /// Applies `application`. Throws `HandlerError`-free errors only for database failures; an unknown customer is
    /// a rejection with the reason `unknown_customer`.
    public static func enroll(
        _ application: AgentAppliedV1, rules: EligibilityRules, in transaction: PostgresTransaction
    ) throws -> Outcome {
        let agentID = application.resolvedAgentID
        let customer = try transaction.query(
            "SELECT created_at, market FROM customers WHERE customer_id = $1", [application.customerID]
        ).first
        var reasons: [String]
        var market = ""
        if let customer {
            let facts = EligibilityRules.Facts(
                customerSince: try customer.decode(Date.self, named: "created_at"), purchases: application.purchases,
                overdueInstalments: application.overdueInstalments
            )
            let now = try transaction.query("SELECT now() AS now")[0].decode(Date.self, named: "now")
            reasons = rules.failures(facts, now: now)
            market = try customer.decode(String.self, named: "market")
        } else {
            reasons = ["unknown_customer"]
        }
        let eligible = reasons.isEmpty
        try transaction.execute(
            """
            INSERT INTO agent_applications (application_id, customer_id, agent_id, eligible, reasons)
            VALUES ($1, $2, $3, $4, $5::text[]) ON CONFLICT DO NOTHING
            """,
            [application.messageID, application.customerID, agentID, eligible, reasons]
        )
        guard eligible else {
            return Outcome(agentID: agentID, status: "rejected", reasons: reasons)
        }
        let existing = try transaction.query(
            """
            UPDATE agents SET languages = $2::text[], skills = $3::text[], capacity = greatest($4, active_conversations + (pending_offer_id IS NOT NULL)::int),
                   updated_at = now()
            WHERE agent_id = $1 RETURNING status
            """,
            [agentID, application.languages, application.skills.sorted(), application.capacity]
        )
        if !existing.isEmpty {
            return Outcome(agentID: agentID, status: "unchanged", reasons: [])
        }
        try transaction.execute(
            """
            INSERT INTO agents (agent_id, customer_id, status, status_reason, market, languages, skills, capacity)
            VALUES ($1, $2, 'active', 'eligible', $3, $4::text[], $5::text[], $6)
            """,
            [
                agentID, application.customerID, market, application.languages, application.skills.sorted(),
                application.capacity,
            ]
        )
        try transaction.execute(
            """
            INSERT INTO agent_status_history (agent_id, status, reason) VALUES ($1, 'applicant', 'applied'), ($1, 'active', 'eligible')
            """,
            [agentID]
        )
        return Outcome(agentID: agentID, status: "active", reasons: [])
    }

    /// Changes an agent's status (`active`, `paused`, `suspended`) with a reason. A paused or suspended agent keeps
    /// its conversations but gets no new offers; a pending offer is withdrawn.
    @discardableResult
    public static func setStatus(agentID: String, status: String, reason: String, in transaction: PostgresTransaction)
        throws -> Bool
    {
        let rows = try transaction.query(
            "UPDATE agents SET status = $2, status_reason = $3, updated_at = now() WHERE agent_id = $1 RETURNING pending_offer_id",
            [agentID, status, reason]
        )
        guard let row = rows.first else { return false }
        try transaction.execute(
            "INSERT INTO agent_status_history (agent_id, status, reason) VALUES ($1, $2, $3)",
            [agentID, status, reason]
        )
        if status != "active", let offerID = try row.decode(String?.self, named: "pending_offer_id") {
            _ = try OfferRelease.release(offerID: offerID, as: "withdrawn", reason: status, in: transaction)
        }
        return true
    }
}
