import ConciergeCore
public import ConciergePostgres
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
    public static func csv(_ period: PayPeriod, agentID: String? = nil, in transaction: PostgresTransaction) throws
        -> String
    {
        guard
            let status = try transaction.query("SELECT status FROM payout_periods WHERE period_id = $1", [period.id])
                .first,
            try status.decode(String.self, named: "status") == "closed"
        else {
            throw PayoutError(
                .periodOpen,
                "period \(period.id) is not closed; close it first (conciergectl payouts close --period \(period.id))")
        }
        var writer = CSVWriter()
        writer.row(self.columns)
        for row in try transaction.query(
            """
            SELECT s.statement_id, s.period_id, s.agent_id, coalesce(s.display_name, '') AS display_name, s.currency, s.total_minor,
                   l.line_no, l.earning_id, l.kind, l.conversation_id, l.assignment_id, l.offer_id, l.rate_card_version,
                   l.base_minor, l.vip_minor, l.surge_minor, l.csat_minor, l.clawback_minor, l.amount_minor, l.surge_bp,
                   l.csat, l.occurred_at, l.event_period_id, l.late, l.hourly_minor, l.guarantee_minor, l.minutes_online,
                   l.rate_per_hour_minor, l.minimum_per_hour_minor, l.guaranteed_minor, l.counted_minor
            FROM payout_statements s JOIN payout_statement_lines l USING (statement_id)
            WHERE s.period_id = $1 AND ($2::text IS NULL OR s.agent_id = $2::text) ORDER BY s.agent_id, s.currency, l.line_no
            """,
            [period.id, agentID]
        ) {
            let currency = try Currency(code: try row.decode(String.self, named: "currency"))
            func money(_ column: String) throws -> String {
                Money(minorUnits: try row.decode(Int64.self, named: column), currency: currency).decimalString
            }
            func text(_ column: String) throws -> String { try row.decode(String?.self, named: column) ?? "" }
            writer.row([
                try text("statement_id"), try text("period_id"), try text("agent_id"), try text("display_name"),
                currency.code,
                try money("total_minor"), try text("line_no"), try text("earning_id"), try text("kind"),
                try text("conversation_id"), try text("assignment_id"), try text("offer_id"),
                try text("rate_card_version"),
                try text("base_minor"), try text("vip_minor"), try text("surge_minor"), try text("csat_minor"),
                try text("clawback_minor"), try text("amount_minor"), try money("amount_minor"), try text("surge_bp"),
                try row.decode(String?.self, named: "csat") ?? "",
                Timestamps.format(try row.decode(Date.self, named: "occurred_at")),
                try text("event_period_id"), try row.decode(Bool.self, named: "late") ? "true" : "false",
                try text("hourly_minor"),
                try text("guarantee_minor"), try text("minutes_online"), try text("rate_per_hour_minor"),
                try text("minimum_per_hour_minor"), try text("guaranteed_minor"), try text("counted_minor"),
            ])
        }
        return writer.text
    }
}
