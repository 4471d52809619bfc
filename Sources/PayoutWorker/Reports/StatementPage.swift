import ConciergeCore
public import ConciergePostgres
import Foundation

/// `payouts statement --period P --agent A --format html`: one agent's statement for a closed period as a
/// self-contained printable HTML page (no scripts, no outside assets), with every earning and its components, the
/// minutes and rate behind time earnings, and how the statement was paid. Every text is HTML-escaped.
public enum StatementPage {
    public static func html(period: PayPeriod, agentID: String, in transaction: PostgresTransaction) throws -> String {
        let statements = try transaction.query(
            """
            SELECT s.statement_id, s.currency, s.total_minor, s.line_count, coalesce(s.display_name, '') AS display_name, a.agent_ref,
                   coalesce((SELECT string_agg(i.instruction_id || ' ' || pi.status, ', ' ORDER BY i.instruction_id)
                             FROM payout_instruction_statements i JOIN payouts.payment_instructions pi USING (instruction_id)
                             WHERE i.statement_id = s.statement_id), '') AS payments
            FROM payout_statements s JOIN payout_agents a USING (agent_id)
            WHERE s.period_id = $1 AND s.agent_id = $2 ORDER BY s.currency
            """,
            [period.id, agentID]
        )
        guard !statements.isEmpty else {
            throw PayoutError(
                .noStatement, "no statement for agent \(agentID.prefix(64)) in period \(period.id) (is it closed?)")
        }
        var body = ""
        var agentRef = ""
        var name = ""
        for statement in statements {
            let statementID = try statement.decode(String.self, named: "statement_id")
            let currency = try Currency(code: try statement.decode(String.self, named: "currency"))
            func money(_ minor: Int64) -> String { Money(minorUnits: minor, currency: currency).decimalString }
            name = try statement.decode(String.self, named: "display_name")
            agentRef = try statement.decode(String.self, named: "agent_ref")
            let payments = try statement.decode(String.self, named: "payments")
            let total = money(try statement.decode(Int64.self, named: "total_minor"))
            body +=
                "<section>\n<h2>\(escape(currency.code)) — total \(escape(total)) (\(try statement.decode(Int.self, named: "line_count")) lines)</h2>\n"
            body +=
                "<p>Statement <code>\(escape(statementID))</code>. Payment: \(escape(payments.isEmpty ? "not yet paid" : payments)).</p>\n"
            body += """
                <div class="lines" role="region" aria-label="Lines in \(escape(currency.code))" tabindex="0">
                <table>
                <thead><tr><th scope="col">#</th><th scope="col">Kind</th><th scope="col">When (UTC)</th><th scope="col">Conversation</th>
                <th scope="col">Card</th><th scope="col">Base</th><th scope="col">VIP</th><th scope="col">Surge</th><th scope="col">CSAT</th>
                <th scope="col">Clawback</th><th scope="col">Hourly</th><th scope="col">Guarantee</th><th scope="col">Explained</th><th scope="col">Amount</th></tr></thead>
                <tbody>

                """
            for line in try transaction.query(
                """
                SELECT line_no, kind, occurred_at, coalesce(conversation_id, '') AS conversation_id, rate_card_version, base_minor, vip_minor,
                       surge_minor, csat_minor, clawback_minor, hourly_minor, guarantee_minor, amount_minor, surge_bp,
                       minutes_online, rate_per_hour_minor, minimum_per_hour_minor, guaranteed_minor, counted_minor, late
                FROM payout_statement_lines WHERE statement_id = $1 ORDER BY line_no
                """,
                [statementID]
            ) {
                var explained: [String] = []
                let surge = try line.decode(Int64.self, named: "surge_bp")
                if surge != BasisPoints.perWhole { explained.append("surge \(BasisPoints(surge))") }
                if let minutes = try line.decode(Int?.self, named: "minutes_online") {
                    explained.append("\(minutes) min online")
                    if let rate = try line.decode(Int64?.self, named: "rate_per_hour_minor") {
                        explained.append("at \(money(rate))/h")
                    }
                    if let minimum = try line.decode(Int64?.self, named: "minimum_per_hour_minor"),
                        let guaranteed = try line.decode(Int64?.self, named: "guaranteed_minor"),
                        let counted = try line.decode(Int64?.self, named: "counted_minor")
                    {
                        explained.append(
                            "guarantee \(money(minimum))/h = \(money(guaranteed)), resolutions \(money(counted))")
                    }
                }
                if try line.decode(Bool.self, named: "late") { explained.append("late") }
                let kind = try line.decode(String.self, named: "kind")
                let timeEarning = kind == EarningKind.hourly.rawValue || kind == EarningKind.guaranteeTopUp.rawValue
                let cells =
                    [
                        String(try line.decode(Int.self, named: "line_no")), kind,
                        timeEarning ? "whole period" : Self.minute(try line.decode(Date.self, named: "occurred_at")),
                        try line.decode(String.self, named: "conversation_id"),
                        try line.decode(String.self, named: "rate_card_version"),
                    ] + (try Self.componentColumns.map { money(try line.decode(Int64.self, named: $0)) })
                    + [explained.joined(separator: "; "), money(try line.decode(Int64.self, named: "amount_minor"))]
                body += "<tr>" + cells.map { "<td>\(escape($0))</td>" }.joined() + "</tr>\n"
            }
            body += "</tbody>\n</table>\n</div>\n</section>\n"
        }
        let title = "Statement \(period.id) — \(name.isEmpty ? agentRef : name)"
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(title))</title>
            <style>
            body { font-family: sans-serif; margin: 1rem; color: #111; }
            h1 { overflow-wrap: anywhere; font-size: 1.5rem; }
            .lines { overflow-x: auto; }
            .lines:focus { outline: 2px solid #005a9c; }
            table { border-collapse: collapse; width: 100%; font-size: 0.85rem; }
            th, td { border: 1px solid #999; padding: 0.25rem 0.4rem; text-align: right; }
            th:nth-child(-n+5), td:nth-child(-n+5), td:nth-child(13) { text-align: left; }
            @media print { body { margin: 0; } .lines { overflow: visible; } tr { break-inside: avoid; } }
            </style>
            </head>
            <body>
            <h1>\(escape(title))</h1>
            <p>Agent \(escape(agentRef)) (\(escape(agentID))), period \(escape(period.id)): \(escape(Self.minute(period.start))) to \(escape(Self.minute(period.end))) UTC. Amounts in major units of each currency; every line is one earning with its components.</p>
            \(body)</body>
            </html>

            """
    }

    /// The amount columns shown after the card, in the table's order (Base ... Guarantee).
    static let componentColumns = [
        "base_minor", "vip_minor", "surge_minor", "csat_minor", "clawback_minor", "hourly_minor", "guarantee_minor",
    ]

    /// `2025-03-10 14:05` (UTC).

    static func minute(_ date: Date) -> String {
        let text = Timestamps.format(date)
        return String(text.prefix(16)).replacingOccurrences(of: "T", with: " ")
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for char in text {
            switch char {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(char)
            }
        }
        return out
    }
}
