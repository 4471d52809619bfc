public import ConciergePostgres
import ConciergeCore
import Foundation

/// `payouts export --format csv`: the statements of a closed period and their lines, one CSV row per line, with the
/// statement's header fields repeated so the file stands alone. Amounts are given in minor units and as decimals.
public enum StatementExport {
    /// The header row.
    public static let columns = [
        "statement_id", "period_id", "agent_id", "display_name", "currency", "statement_total", "line_no", "earning_id",
        "kind", "conversation_id", "assignment_id", "offer_id", "rate_card_version", "base_minor", "vip_minor",
        "surge_minor", "csat_minor", "clawback_minor", "amount_minor", "amount", "surge_bp", "csat", "occurred_at",
        "event_period_id", "late", "hourly_minor", "guarantee_minor", "minutes_online", "rate_per_hour_minor",
        "minimum_per_hour_minor", "guaranteed_minor", "counted_minor",
    ]

    /// The CSV for `period`; throws ``PayoutError/Code/periodOpen`` when it is not closed. Time earnings have no
    /// conversation, assignment or offer (empty fields) and explain themselves in the last columns.
    public static func csv(_ period: PayPeriod, agentID: String? = nil, in transaction: PostgresTransaction) throws -> String {
        guard let status = try transaction.query("SELECT status FROM payout_periods WHERE period_id = $1", [period.id]).first,
            try status.decode(String.self, at: 0) == "closed"
        else {
            throw PayoutError(.periodOpen, "period \(period.id) is not closed; close it first (conciergectl payouts close --period \(period.id))")
        }
        var writer = CSVWriter()
        writer.row(self.columns)
        for row in try transaction.query(
            """
            SELECT s.statement_id, s.period_id, s.agent_id, coalesce(s.display_name, ''), s.currency, s.total_minor,
                   l.line_no, l.earning_id, l.kind, l.conversation_id, l.assignment_id, l.offer_id, l.rate_card_version,
                   l.base_minor, l.vip_minor, l.surge_minor, l.csat_minor, l.clawback_minor, l.amount_minor, l.surge_bp,
                   l.csat, l.occurred_at, l.event_period_id, l.late, l.hourly_minor, l.guarantee_minor, l.minutes_online,
                   l.rate_per_hour_minor, l.minimum_per_hour_minor, l.guaranteed_minor, l.counted_minor
            FROM payout_statements s JOIN payout_statement_lines l USING (statement_id)
            WHERE s.period_id = $1 AND ($2::text IS NULL OR s.agent_id = $2::text) ORDER BY s.agent_id, s.currency, l.line_no
            """,
            [period.id, agentID]
        ) {
            let currency = try Currency(code: try row.decode(String.self, at: 4))
            func money(_ column: Int) throws -> String {
                Money(minorUnits: try row.decode(Int64.self, at: column), currency: currency).decimalString
            }
            func text(_ column: Int) throws -> String { try row.decode(String?.self, at: column) ?? "" }
            writer.row([
                try text(0), try text(1), try text(2), try text(3), currency.code, try money(5), try text(6), try text(7),
                try text(8), try text(9), try text(10), try text(11), try text(12), try text(13), try text(14),
                try text(15), try text(16), try text(17), try text(18), try money(18), try text(19),
                try row.decode(String?.self, at: 20) ?? "", Timestamps.format(try row.decode(Date.self, at: 21)),
                try text(22), try row.decode(Bool.self, at: 23) ? "true" : "false", try text(24), try text(25),
                try text(26), try text(27), try text(28), try text(29), try text(30),
            ])
        }
        return writer.text
    }
}
