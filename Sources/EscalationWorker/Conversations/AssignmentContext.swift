import ConciergeCore
import ConciergePostgres
import ConciergeRuntime
import Foundation

/// Builds what an agent receives on assignment (`assignment.v1`): the customer (first name only), the summary of why
/// it came to a person, the transcript so far and the customer's relevant account facts (the AI's looked-up facts
/// when it handed over, otherwise recent purchases, open instalments and open refunds).
enum AssignmentContext {
    static let maximumFacts = 12

    static func build(
        assignmentID: String, escalationID: String, agentID: String, assignedAt: Date,
        in transaction: PostgresTransaction
    ) throws -> AssignmentV1 {
        let row = try transaction.query(
            """
            SELECT e.conversation_id, e.customer_id, e.language, e.market, e.vip, e.channel, e.reasons, e.intent,
                   e.sentiment, e.summary, e.handoff_reason, e.facts::text AS facts, coalesce(c.display_name, '') AS display_name
            FROM escalations e LEFT JOIN customers c USING (customer_id)
            WHERE e.escalation_id = $1
            """,
            [escalationID]
        ).single()
        let conversationID = try row.decode(String.self, named: "conversation_id")
        let customerID = try row.decode(String.self, named: "customer_id")
        var facts =
            (try? JSONDecoder().decode(
                [HandoffSummary.Fact].self, from: Data(try row.decode(String.self, named: "facts").utf8))) ?? []
        if facts.isEmpty {
            facts = try self.accountFacts(customerID: customerID, in: transaction)
        }
        return AssignmentV1(
            assignmentID: assignmentID, conversationID: conversationID, agentID: agentID,
            channel: try row.decode(String.self, named: "channel"),
            customer: .init(
                firstName: self.firstName(try row.decode(String.self, named: "display_name")),
                language: try row.decode(String.self, named: "language"),
                market: try row.decode(String.self, named: "market"), vip: try row.decode(Bool.self, named: "vip")
            ),
            summary: .init(
                reasons: try row.decode([String].self, named: "reasons"),
                intent: try row.decode(String?.self, named: "intent"),
                sentiment: try row.decode(String.self, named: "sentiment"),
                vip: try row.decode(Bool.self, named: "vip"),
                handoffReason: try row.decode(String?.self, named: "handoff_reason"),
                text: try row.decode(String.self, named: "summary")
            ),
            transcript: try Transcript.entries(conversationID: conversationID, in: transaction),
            facts: Array(facts.prefix(self.maximumFacts)), assignedAt: Timestamps.format(assignedAt)
        )
    }

    /// The first word of a display name ("Alex" for "Alex Berg"); "there" when unknown.
    static func firstName(_ displayName: String) -> String {
        displayName.split(whereSeparator: \.isWhitespace).first.map(String.init) ?? "there"
    }

    /// Recent purchases, the next open instalments and open refunds, one line each.
    static func accountFacts(customerID: String, in transaction: PostgresTransaction) throws -> [HandoffSummary.Fact] {
        let results = try transaction.queries([
            PostgresStatement(
                """
                SELECT purchase_id, merchant, order_reference, amount_minor, currency, purchased_on::text AS purchased_on, status
                FROM purchases WHERE customer_id = $1 ORDER BY purchased_on DESC, purchase_id LIMIT 5
                """,
                [customerID]
            ),
            PostgresStatement(
                """
                SELECT i.plan_id, i.sequence, p.merchant, i.due_on::text AS due_on, i.amount_minor, i.currency, i.status
                FROM instalments i JOIN payment_plans pp USING (plan_id) JOIN purchases p USING (purchase_id)
                WHERE p.customer_id = $1 AND i.status IN ('scheduled', 'overdue', 'failed')
                ORDER BY i.due_on, i.plan_id, i.sequence LIMIT 3
                """,
                [customerID]
            ),
            PostgresStatement(
                """
                SELECT r.refund_id, r.kind, p.merchant, r.amount_minor, r.currency, r.status,
                       coalesce(r.expected_on::text, '') AS expected_on
                FROM refunds r JOIN purchases p USING (purchase_id)
                WHERE r.customer_id = $1 AND r.status NOT IN ('completed', 'rejected')
                ORDER BY r.requested_on DESC, r.refund_id LIMIT 3
                """,
                [customerID]
            ),
        ])
        var facts: [HandoffSummary.Fact] = []
        for row in results[0] {
            let amount = self.amount(
                try row.decode(Int64.self, named: "amount_minor"), try row.decode(String.self, named: "currency"))
            facts.append(
                .init(
                    kind: "purchase", id: try row.decode(String.self, named: "purchase_id"),
                    summary:
                        "\(try row.decode(String.self, named: "merchant")) \(try row.decode(String.self, named: "order_reference")), \(amount) on \(try row.decode(String.self, named: "purchased_on")), \(try row.decode(String.self, named: "status"))"
                )
            )
        }
        for row in results[1] {
            let amount = self.amount(
                try row.decode(Int64.self, named: "amount_minor"), try row.decode(String.self, named: "currency"))
            facts.append(
                .init(
                    kind: "instalment",
                    id:
                        "\(try row.decode(String.self, named: "plan_id"))#\(try row.decode(Int.self, named: "sequence"))",
                    summary:
                        "\(try row.decode(String.self, named: "merchant")) instalment \(amount) due \(try row.decode(String.self, named: "due_on")), \(try row.decode(String.self, named: "status"))"
                )
            )
        }
        for row in results[2] {
            let amount = self.amount(
                try row.decode(Int64.self, named: "amount_minor"), try row.decode(String.self, named: "currency"))
            let expected = try row.decode(String.self, named: "expected_on")
            facts.append(
                .init(
                    kind: "refund", id: try row.decode(String.self, named: "refund_id"),
                    summary:
                        "\(try row.decode(String.self, named: "merchant")) \(try row.decode(String.self, named: "kind")) \(amount), \(try row.decode(String.self, named: "status"))\(expected.isEmpty ? "" : ", expected \(expected)")"
                )
            )
        }
        return facts
    }

    /// "149.97 EUR": exact, from minor units.
    static func amount(_ minor: Int64, _ code: String) -> String {
        guard let currency = try? Currency(code: code) else { return "\(minor) \(code) (minor units)" }
        return "\(Money(minorUnits: minor, currency: currency).decimalString) \(code)"
    }
}
