public import ConciergePostgres
public import Foundation

/// Derives a period's time earnings (hourly pay and guarantee top-ups) from the presence record and the stored rate
/// cards. The period closer books them; the reconciler derives them again and compares. Staff agents earn none.
public enum TimeEarnings {
    /// The time earnings of `period`, counting presence up to `cutoff` (the period's end, or the close time if it
    /// was closed before its end). For hybrid cards the guarantee is compared with the resolution fees net of
    /// clawbacks booked in the period under the same market and version.
    public static func derive(
        _ period: PayPeriod, cutoff: Date, in transaction: PostgresTransaction
    ) throws -> [TimeEarningRecord] {
        let cards = try self.storedCards(in: transaction)
        let timeMarkets = Set(cards.filter(\.payModel.countsTime).map(\.market))
        let minutes = try PresenceTime.minutes(
            from: period.start, to: cutoff, cards: cards.filter { timeMarkets.contains($0.market) }, in: transaction
        )
        guard !minutes.isEmpty else { return [] }
        let staff = try self.staffAgents(in: transaction)
        var counted: [PresenceTime.Key: Int64] = [:]
        for row in try transaction.query(
            """
            SELECT agent_id, market, rate_card_version, sum(amount_minor)::bigint AS counted_minor FROM payout_earnings
            WHERE period_id = $1 AND kind IN ('resolution', 'clawback') GROUP BY 1, 2, 3
            """,
            [period.id]
        ) {
            let key = PresenceTime.Key(
                agentID: try row.decode(String.self, named: "agent_id"),
                market: try row.decode(String.self, named: "market"),
                version: try row.decode(String.self, named: "rate_card_version")
            )
            counted[key] = try row.decode(Int64.self, named: "counted_minor")
        }
        let byVersion = Dictionary(
            cards.map { ("\($0.version)\u{0}\($0.market)", $0) }, uniquingKeysWith: { first, _ in first })
        var records: [TimeEarningRecord] = []
        for (key, minutesOnline) in minutes.sorted(by: { $0.key < $1.key }) where !staff.contains(key.agentID) {
            guard let card = byVersion["\(key.version)\u{0}\(key.market)"],
                let earning = try PayoutPricing.timeEarning(
                    minutesOnline: minutesOnline, counted: counted[key] ?? 0, card: card)
            else { continue }
            records.append(
                TimeEarningRecord(
                    periodID: period.id, agentID: key.agentID, market: key.market, rateCardVersion: key.version,
                    earning: earning, occurredAt: min(cutoff, period.end)
                )
            )
        }
        return records
    }

    /// Staff agents (employees, the escalation worker's fallback pool: `agents.kind = 'staff'` where that column
    /// exists) are paid through payroll, not by the hour here; their presence is recorded all the same.
    static func staffAgents(in transaction: PostgresTransaction) throws -> Set<String> {
        let hasKind = try transaction.query(
            """
            SELECT 1 FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = 'agents' AND column_name = 'kind'
            """
        )
        guard !hasKind.isEmpty else { return [] }
        return Set(
            try transaction.query("SELECT agent_id FROM agents WHERE kind = 'staff'").map {
                try $0.decode(String.self, named: "agent_id")
            })
    }

    /// Every rate-card version stored in the database (what priced, or will price, the ledger).
    static func storedCards(in transaction: PostgresTransaction) throws -> [RateCard] {
        try transaction.query(
            "SELECT definition::text AS definition FROM payout_rate_cards ORDER BY market, effective_from"
        ).map {
            try RateCard(definitionJSON: try $0.decode(String.self, named: "definition"))
        }
    }
}
