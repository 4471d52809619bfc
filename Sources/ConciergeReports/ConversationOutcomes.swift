public import ConciergePostgres
import ConciergeSupport
public import Foundation

/// Reads conversation outcomes from PostgreSQL (the `conversation_outcomes` function of migration 0060).
public enum ConversationOutcomes {
    /// The default window within which a customer coming back, asking for a person or being handed off undoes an AI
    /// resolution (24 hours, as Intercom and Zendesk count it).
    public static let defaultWindow: Duration = .seconds(24 * 3600)

    public struct Error: Swift.Error, CustomStringConvertible {
        public enum Code: String, Sendable { case unknownLane = "unknown_lane", unknownOutcome = "unknown_outcome" }
        public var code: Code
        public var value: String
        public var description: String { "conversation outcome: \(self.code.rawValue) '\(self.value)'" }
    }

    /// Every conversation whose first inquiry was routed in `[since, until)`, judged as of `asOf` with `window`.
    public static func fetch(
        _ database: PostgresConnection, since: Date, until: Date, window: Duration = Self.defaultWindow,
        asOf: Date = Date()
    ) async throws -> [ConversationOutcome] {
        let seconds = window.inSeconds
        let result = try await database.query(
            """
            SELECT conversation_id, customer_id, lane, intent, language, started_at, ai_answered, outcome, handoff_reason,
                   repeat_contact, first_response_ms, resolution_ms, human_wait_ms, sla_breached, csat
            FROM conversation_outcomes($1::timestamptz, $2::timestamptz, make_interval(secs => $3::float8), $4::timestamptz)
            ORDER BY started_at, conversation_id
            """,
            [since, until, seconds, asOf]
        )
        return try result.map { row in
            let lane = try row.decode(String.self, named: "lane")
            let outcome = try row.decode(String.self, named: "outcome")
            guard let decodedLane = ConversationOutcome.Lane(rawValue: lane) else {
                throw Error(code: .unknownLane, value: lane)
            }
            guard let decodedOutcome = ConversationOutcome.Outcome(rawValue: outcome) else {
                throw Error(code: .unknownOutcome, value: outcome)
            }
            return ConversationOutcome(
                conversationID: try row.decode(named: "conversation_id"),
                customerID: try row.decode(named: "customer_id"),
                lane: decodedLane,
                intent: try row.decode(String?.self, named: "intent"),
                language: try row.decode(named: "language"),
                startedAt: try row.decode(named: "started_at"),
                aiAnswered: try row.decode(named: "ai_answered"),
                outcome: decodedOutcome,
                handoffReason: try row.decode(String?.self, named: "handoff_reason"),
                repeatContact: try row.decode(named: "repeat_contact"),
                firstResponseMilliseconds: try row.decode(Int64?.self, named: "first_response_ms"),
                resolutionMilliseconds: try row.decode(Int64?.self, named: "resolution_ms"),
                humanWaitMilliseconds: try row.decode(Int64?.self, named: "human_wait_ms"),
                slaBreached: try row.decode(named: "sla_breached"),
                csat: try row.decode(Int?.self, named: "csat")
            )
        }
    }
}
