import ConciergeCore
public import ConciergePostgres
import Foundation

/// The agent's earnings from the payout views (`payouts.earnings`, `payouts.agent_period_totals`,
/// `payouts.statements`): amounts stay integer minor units with their currency; PostgreSQL's `to_major` (numeric,
/// never floating point) gives the decimal text shown.
public struct EarningsReads: Sendable {
    public let database: PostgresConnection

    public init(database: PostgresConnection) {
        self.database = database
    }

    public struct Total: Sendable, Hashable {
        public var label: String
        public var currency: String
        public var totalMinor: Int64
        public var total: String
        public var earnings: Int
    }

    public struct Earning: Sendable, Hashable {
        public var earningID: String
        public var kind: String
        public var conversationID: String
        public var currency: String
        public var baseMinor: Int64
        public var vipMinor: Int64
        public var surgeMinor: Int64
        public var csatMinor: Int64
        public var clawbackMinor: Int64
        public var amountMinor: Int64
        public var amount: String
        public var minorDigits: Int
        public var surgeBasisPoints: Int
        public var occurredAt: String
        public var periodID: String
    }

    public struct Statement: Sendable, Hashable {
        public var statementID: String
        public var periodID: String
        public var currency: String
        public var total: String
        public var lines: Int
    }

    public struct Summary: Sendable, Hashable {
        public var today: [Total]
        public var period: [Total]
        public var recent: [Earning]
        public var statements: [Statement]
    }

    public func summary(_ agentID: String) async throws -> Summary {
        let today = try await self.database.query(
            """
            SELECT e.currency, sum(e.amount_minor)::bigint AS total_minor, count(*)::int AS earnings,
                   payouts.to_major(sum(e.amount_minor)::bigint, c.minor_unit_digits)::text AS total
            FROM payouts.earnings e JOIN payout_currencies c USING (currency)
            WHERE e.agent_id = $1 AND e.occurred_at >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
            GROUP BY e.currency, c.minor_unit_digits ORDER BY e.currency
            """,
            [agentID]
        ).map { row in
            Total(
                label: "today", currency: try row.decode(String.self, named: "currency"),
                totalMinor: try row.decode(Int64.self, named: "total_minor"),
                total: try row.decode(String.self, named: "total"),
                earnings: try row.decode(Int.self, named: "earnings")
            )
        }
        let period = try await self.database.query(
            """
            SELECT period_id, currency, total_minor::bigint AS total_minor, total::text AS total, earnings::int AS earnings
            FROM payouts.agent_period_totals WHERE agent_id = $1 AND period_status = 'open' ORDER BY period_id, currency
            """,
            [agentID]
        ).map { row in
            Total(
                label: try row.decode(String.self, named: "period_id"),
                currency: try row.decode(String.self, named: "currency"),
                totalMinor: try row.decode(Int64.self, named: "total_minor"),
                total: try row.decode(String.self, named: "total"),
                earnings: try row.decode(Int.self, named: "earnings")
            )
        }
        let recent = try await self.database.query(
            """
            SELECT e.earning_id, e.kind, e.conversation_id, e.currency, e.base_minor, e.vip_minor, e.surge_minor, e.csat_minor,
                   e.clawback_minor, e.amount_minor, e.amount::text AS amount, c.minor_unit_digits::int AS digits, e.surge_bp,
                   to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS occurred_at, e.period_id
            FROM payouts.earnings e JOIN payout_currencies c USING (currency)
            WHERE e.agent_id = $1 ORDER BY e.occurred_at DESC, e.earning_id LIMIT 50
            """,
            [agentID]
        ).map { row in
            Earning(
                earningID: try row.decode(String.self, named: "earning_id"),
                kind: try row.decode(String.self, named: "kind"),
                conversationID: try row.decode(String.self, named: "conversation_id"),
                currency: try row.decode(String.self, named: "currency"),
                baseMinor: try row.decode(Int64.self, named: "base_minor"),
                vipMinor: try row.decode(Int64.self, named: "vip_minor"),
                surgeMinor: try row.decode(Int64.self, named: "surge_minor"),
                csatMinor: try row.decode(Int64.self, named: "csat_minor"),
                clawbackMinor: try row.decode(Int64.self, named: "clawback_minor"),
                amountMinor: try row.decode(Int64.self, named: "amount_minor"),
                amount: try row.decode(String.self, named: "amount"),
                minorDigits: try row.decode(Int.self, named: "digits"),
                surgeBasisPoints: try row.decode(Int.self, named: "surge_bp"),
                occurredAt: try row.decode(String.self, named: "occurred_at"),
                periodID: try row.decode(String.self, named: "period_id")
            )
        }
        let statements = try await self.database.query(
            """
            SELECT statement_id, period_id, currency, total::text AS total, line_count
            FROM payouts.statements WHERE agent_id = $1 ORDER BY period_id DESC, currency LIMIT 24
            """,
            [agentID]
        ).map { row in
            Statement(
                statementID: try row.decode(String.self, named: "statement_id"),
                periodID: try row.decode(String.self, named: "period_id"),
                currency: try row.decode(String.self, named: "currency"),
                total: try row.decode(String.self, named: "total"),
                lines: try row.decode(Int.self, named: "line_count")
            )
        }
        return Summary(today: today, period: period, recent: recent, statements: statements)
    }
}
