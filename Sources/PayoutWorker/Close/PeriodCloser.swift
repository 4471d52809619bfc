public import ConciergePostgres
public import Foundation

/// Closes a pay period: books its time earnings (hourly pay and guarantee top-ups, from the presence record; see
/// ``TimeEarnings``), freezes it (no earning can be booked into it any more; later events go to the next open
/// period) and writes one immutable statement per agent and currency with a line per earning booked in it.
///
/// Runs in one transaction holding the period row `FOR UPDATE`: a worker booking into the period holds it
/// `FOR SHARE`, so the close waits for in-flight batches and sees all of their earnings, and batches after it see
/// the period closed.
public struct PeriodCloser: Sendable {
    public let ledger: PayoutLedger

    public init(cadence: PayCadence) {
        self.ledger = PayoutLedger(cadence: cadence)
    }

    /// Closes `period`. Unless `allowBeforeEnd`, a period that has not ended by `now` is refused.
    public func close(
        _ period: PayPeriod, now: Date = Date(), allowBeforeEnd: Bool = false, in transaction: PostgresTransaction
    ) throws -> PeriodCloseResult {
        guard period.cadence == self.ledger.cadence else {
            throw PayoutError(
                .invalidPeriod,
                "period \(period.id) is \(period.cadence.rawValue) but payout.period is \(self.ledger.cadence.rawValue)"
            )
        }
        try self.ledger.ensure(period, in: transaction)
        guard
            let row = try transaction.query(
                "SELECT status FROM payout_periods WHERE period_id = $1 FOR UPDATE", [period.id]
            ).first
        else {
            throw PayoutError(.periodOverlap, "period \(period.id) overlaps a period of another cadence")
        }
        if try row.decode(String.self, named: "status") == "closed" {
            let existing = try transaction.query(
                "SELECT count(*) AS statements, coalesce(sum(line_count), 0) AS lines FROM payout_statements WHERE period_id = $1",
                [period.id]
            ).singleRow("statement count")
            return PeriodCloseResult(
                periodID: period.id, closedNow: false, statements: try existing.decode(Int.self, named: "statements"),
                lines: try existing.decode(Int.self, named: "lines"), totals: try self.totals(period, in: transaction)
            )
        }
        guard allowBeforeEnd || period.end <= now else {
            throw PayoutError(
                .periodNotOver,
                "period \(period.id) ends at \(period.end); it cannot be closed before (use --before-end to force)")
        }
        // Time is counted up to the period's end, or up to the close when it is closed early; the same cutoff
        // (least(ends_at, closed_at)) is what the reconciler derives the time earnings with again.
        let cutoff = try transaction.query(
            "SELECT least(ends_at, $2::timestamptz) AS cutoff FROM payout_periods WHERE period_id = $1",
            [period.id, now]
        ).singleRow("period cutoff").decode(Date.self, named: "cutoff")
        for record in try TimeEarnings.derive(period, cutoff: cutoff, in: transaction) {
            try self.ledger.post(record, in: transaction)
        }
        // After the time earnings: an agent paid only by the hour is first known to the payout side here.
        try Self.refreshDisplayNames(in: transaction)
        try transaction.execute(
            "UPDATE payout_periods SET status = 'closed', closed_at = $2 WHERE period_id = $1", [period.id, now]
        )
        let statements = try transaction.execute(
            """
            INSERT INTO payout_statements (statement_id, period_id, agent_id, display_name, currency, total_minor, line_count)
            SELECT e.period_id || ':' || e.agent_id || ':' || e.currency, e.period_id, e.agent_id, a.display_name,
                   e.currency, sum(e.amount_minor), count(*)
            FROM payout_earnings e JOIN payout_agents a USING (agent_id)
            WHERE e.period_id = $1
            GROUP BY e.period_id, e.agent_id, a.display_name, e.currency
            """,
            [period.id]
        )
        let lines = try transaction.execute(
            """
            INSERT INTO payout_statement_lines (statement_id, line_no, earning_id, kind, conversation_id, assignment_id,
                offer_id, rate_card_version, base_minor, vip_minor, surge_minor, csat_minor, clawback_minor, amount_minor,
                surge_bp, csat, occurred_at, event_period_id, late, hourly_minor, guarantee_minor, minutes_online,
                rate_per_hour_minor, minimum_per_hour_minor, guaranteed_minor, counted_minor)
            SELECT e.period_id || ':' || e.agent_id || ':' || e.currency,
                   row_number() OVER (PARTITION BY e.agent_id, e.currency ORDER BY e.occurred_at, e.earning_id),
                   e.earning_id, e.kind, e.conversation_id, e.assignment_id, e.offer_id, e.rate_card_version,
                   e.base_minor, e.vip_minor, e.surge_minor, e.csat_minor, e.clawback_minor, e.amount_minor, e.surge_bp,
                   e.csat, e.occurred_at, e.event_period_id, e.event_period_id <> e.period_id, e.hourly_minor,
                   e.guarantee_minor, e.minutes_online, e.rate_per_hour_minor, e.minimum_per_hour_minor,
                   e.guaranteed_minor, e.counted_minor
            FROM payout_earnings e WHERE e.period_id = $1
            """,
            [period.id]
        )
        return PeriodCloseResult(
            periodID: period.id, closedNow: true, statements: statements, lines: lines,
            totals: try self.totals(period, in: transaction)
        )
    }

    private func totals(_ period: PayPeriod, in transaction: PostgresTransaction) throws -> [String: Int64] {
        var totals: [String: Int64] = [:]
        for row in try transaction.query(
            "SELECT currency, sum(total_minor)::bigint AS total_minor FROM payout_statements WHERE period_id = $1 GROUP BY currency",
            [period.id]
        ) {
            totals[try row.decode(String.self, named: "currency")] = try row.decode(Int64.self, named: "total_minor")
        }
        return totals
    }

    /// Copies display names from the escalation worker's `agents` table (or its linked customer) when that table
    /// exists, so statements carry a name; payouts never require it.
    static func refreshDisplayNames(in transaction: PostgresTransaction) throws {
        let columns = Set(
            try transaction.query(
                """
                SELECT table_name || '.' || column_name AS qualified_name FROM information_schema.columns
                WHERE table_schema = current_schema() AND table_name IN ('agents', 'customers')
                """
            ).map { try $0.decode(String.self, named: "qualified_name") }
        )
        guard columns.contains("agents.agent_id") else { return }
        if columns.contains("agents.display_name") {
            try transaction.execute(
                """
                UPDATE payout_agents p SET display_name = a.display_name FROM agents a
                WHERE a.agent_id::text = p.agent_id AND a.display_name IS NOT NULL AND p.display_name IS DISTINCT FROM a.display_name
                """
            )
        } else if columns.contains("agents.customer_id"), columns.contains("customers.display_name") {
            try transaction.execute(
                """
                UPDATE payout_agents p SET display_name = c.display_name
                FROM agents a JOIN customers c ON c.customer_id = a.customer_id::text
                WHERE a.agent_id::text = p.agent_id AND p.display_name IS DISTINCT FROM c.display_name
                """
            )
        }
    }
}
