public import ConciergePostgres
import Foundation
public import ResponderWorker

/// Reads the seeded population the generator draws from, and what the fleet recorded for a generated stream.
public enum DemoDatabase {
    /// Customers `cus_…` of the seeded population (not the simulator's agents) and their account facts.
    public static func population(in transaction: PostgresTransaction) throws -> (
        [DemoCustomer], [String: CustomerFacts]
    ) {
        let customers = try transaction.query(
            """
            SELECT customer_id, tier, language, market FROM customers
            WHERE customer_id ~ '^cus_[0-9]+$' ORDER BY customer_id
            """
        ).map { row in
            DemoCustomer(
                id: try row.decode(named: "customer_id"), tier: try row.decode(named: "tier"),
                language: try row.decode(named: "language"), market: try row.decode(named: "market")
            )
        }
        let facts = try FactsStore.load(customers: customers.map(\.id), in: transaction)
        return (customers, facts)
    }

    /// What the fleet recorded for each expected message id: routing, the AI's reply or hand-off, the
    /// conversation's outcome (window `windowSeconds`, as of now).
    public static func observed(
        _ expectations: [DemoExpectation], windowSeconds: Int, in transaction: PostgresTransaction
    ) throws -> [String: DemoAnswerCheck.Observed] {
        let ids = Array(Set(expectations.map(\.messageID).filter { !$0.isEmpty })).sorted()
        let conversations = Array(Set(expectations.map(\.conversationID).filter { !$0.isEmpty })).sorted()
        var observed: [String: DemoAnswerCheck.Observed] = [:]
        for row in try transaction.query(
            "SELECT message_id, count(*) AS n FROM inquiries WHERE message_id = ANY($1) GROUP BY 1", [ids])
        {
            observed[try row.decode(named: "message_id"), default: .init()].applied = try row.decode(named: "n")
        }
        for row in try transaction.query(
            "SELECT message_id, route, intent FROM routing_decisions WHERE message_id = ANY($1)", [ids]
        ) {
            let id: String = try row.decode(named: "message_id")
            observed[id, default: .init()].route = try row.decode(named: "route")
            observed[id, default: .init()].routedIntent = try row.decode(named: "intent")
        }
        for row in try transaction.query(
            "SELECT inquiry_id, kind, intent, text FROM ai_replies WHERE inquiry_id = ANY($1)", [ids]
        ) {
            let id: String = try row.decode(named: "inquiry_id")
            observed[id, default: .init()].replyKind = try row.decode(named: "kind")
            observed[id, default: .init()].replyIntent = try row.decode(named: "intent")
            observed[id, default: .init()].replyText = try row.decode(named: "text")
        }
        for row in try transaction.query("SELECT inquiry_id, reason FROM ai_handoffs WHERE inquiry_id = ANY($1)", [ids])
        {
            observed[try row.decode(named: "inquiry_id"), default: .init()].handoffReason = try row.decode(
                named: "reason")
        }
        var outcomes: [String: String] = [:]
        for row in try transaction.query(
            """
            SELECT conversation_id, outcome
            FROM conversation_outcomes('-infinity', 'infinity', make_interval(secs => $2), now())
            WHERE conversation_id = ANY($1)
            """,
            [conversations, windowSeconds]
        ) {
            outcomes[try row.decode(named: "conversation_id")] = try row.decode(named: "outcome")
        }
        for e in expectations where !e.messageID.isEmpty {
            observed[e.messageID, default: .init()].outcome = outcomes[e.conversationID]
        }
        return observed
    }
}

extension DemoAnswerCheck.Summary {
    /// The demo's report of the check.
    public var text: String {
        func percent(_ part: Int, _ whole: Int) -> String {
            whole == 0 ? "-" : "\(part * 100 / whole) %"
        }
        var lines: [String] = []
        lines.append(
            "routine account questions (not VIP): \(self.routine); routed to the AI \(self.routineRoutedToAI), "
                + "answered \(self.routineAnswered), asked which purchase \(self.routineClarified)"
        )
        lines.append(
            "  resolved by the AI: \(self.routineResolved) (+\(self.routinePending) pending) of \(self.routine) "
                + "(\(percent(self.routineResolved + self.routinePending, self.routine)); target: at least two thirds)"
        )
        if !self.routineHandoffs.isEmpty {
            lines.append(
                "  handed to a person: "
                    + self.routineHandoffs.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(
                        separator: ", ")
            )
        }
        lines.append("how-to questions (not VIP): \(self.howto); answered from an article \(self.howtoAnswered)")
        lines.append("VIP customers: \(self.vip); sent to the AI: \(self.vipToAI)")
        lines.append(
            "cases for a person (sensitive, complaints, asked for a person): \(self.forPerson); sent to the AI: "
                + "\(self.forPersonToAI.count)\(self.forPersonToAI.isEmpty ? "" : " " + self.forPersonToAI.joined(separator: ", "))"
        )
        lines.append(
            "AI answers checked against the customer's facts: \(self.checkedAnswers); wrong: \(self.wrong.count)"
                + " (answered as another intent than asked: \(self.answeredAsOtherIntent))"
        )
        for wrong in self.wrong.prefix(10) {
            lines.append("  WRONG \(wrong.messageID) (\(wrong.intent)): \(wrong.problem)")
            lines.append("    reply: \(wrong.reply.replacingOccurrences(of: "\n", with: " / "))")
        }
        lines.append(
            "malformed lines: \(self.malformed), applied: \(self.malformedApplied.count); duplicates applied twice: "
                + "\(self.duplicatesAppliedTwice.count); lines with no trace in the fleet: \(self.missing.count)"
        )
        for id in self.missing.prefix(10) { lines.append("  missing: \(id)") }
        return lines.joined(separator: "\n")
    }
}
