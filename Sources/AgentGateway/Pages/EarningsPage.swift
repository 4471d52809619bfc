import ConciergeCore

/// Earnings: today, the open period, each earning's components, past statements, and the agent's rating. Every
/// value is escaped; amounts are integer minor units formatted by ``Money``.
enum EarningsPage {
    static func render(agentID: String, profile: AgentReads.Profile?, summary: EarningsReads.Summary) -> String {
        func totals(_ totals: [EarningsReads.Total], empty: String, labelled: Bool) -> String {
            guard !totals.isEmpty else { return "<p>\(empty)</p>" }
            return "<ul class=\"totals\">"
                + totals.map { total in
                    let label = labelled ? "\(HTMLText.escape(total.label)): " : ""
                    return
                        "<li>\(label)<strong class=\"amount\">\(HTMLText.escape(total.total)) \(HTMLText.escape(total.currency))</strong> "
                        + "from \(total.earnings) earning\(total.earnings == 1 ? "" : "s")</li>"
                }.joined() + "</ul>"
        }
        func money(_ minor: Int64, _ earning: EarningsReads.Earning) -> String {
            let currency = (try? Currency(code: earning.currency)) ?? .eur
            return HTMLText.escape(Money(minorUnits: minor, currency: currency).decimalString)
        }
        var rows = ""
        for earning in summary.recent {
            rows += """
                <tr>
                  <th scope="row">\(HTMLText.escape(earning.occurredAt))<br><span class="hint">\(HTMLText.escape(earning.kind)) · \(HTMLText.escape(earning.conversationID))</span></th>
                  <td>\(money(earning.baseMinor, earning))</td>
                  <td>\(money(earning.vipMinor, earning))</td>
                  <td>\(money(earning.surgeMinor, earning))<br><span class="hint">\(SurgeText.multiplier(earning.surgeBasisPoints))</span></td>
                  <td>\(money(earning.csatMinor, earning))</td>
                  <td>\(money(earning.clawbackMinor, earning))</td>
                  <td><strong>\(HTMLText.escape(earning.amount)) \(HTMLText.escape(earning.currency))</strong></td>
                </tr>
                """
        }
        let table =
            summary.recent.isEmpty
            ? "<p>No earnings yet. Resolve a conversation to earn.</p>"
            : """
            <div class="scroll" tabindex="0" role="region" aria-labelledby="components-heading">
            <table id="earnings-table">
              <caption class="visually-hidden">Your recent earnings by component</caption>
              <thead><tr><th scope="col">When</th><th scope="col">Base</th><th scope="col">VIP</th><th scope="col">Surge</th><th scope="col">CSAT</th><th scope="col">Clawback</th><th scope="col">Total</th></tr></thead>
              <tbody>\(rows)</tbody>
            </table>
            </div>
            """
        let statements =
            summary.statements.isEmpty
            ? "<p>No closed periods yet.</p>"
            : "<ul>"
                + summary.statements.map {
                    "<li>\(HTMLText.escape($0.periodID)): <strong>\(HTMLText.escape($0.total)) \(HTMLText.escape($0.currency))</strong> (\($0.lines) line\($0.lines == 1 ? "" : "s"))</li>"
                }.joined() + "</ul>"
        let rating: String
        if let profile, profile.ratingCount > 0 {
            let tenths = (profile.ratingSum * 10 + profile.ratingCount / 2) / profile.ratingCount
            rating =
                "<p id=\"rating\">Your rating: <strong>\(tenths / 10).\(tenths % 10) / 5</strong> from \(profile.ratingCount) rating\(profile.ratingCount == 1 ? "" : "s")</p>"
        } else {
            rating = "<p id=\"rating\">No ratings yet.</p>"
        }
        return PageLayout.page(
            title: "Earnings", agentID: agentID, current: "earnings",
            body: """
                <h2>Earnings</h2>
                <section aria-labelledby="today-heading" id="earnings-today">
                  <h3 id="today-heading">Today</h3>
                  \(totals(summary.today, empty: "Nothing yet today.", labelled: false))
                </section>
                <section aria-labelledby="period-heading" id="earnings-period">
                  <h3 id="period-heading">This period</h3>
                  \(totals(summary.period, empty: "Nothing in the open period yet.", labelled: true))
                </section>
                <section aria-labelledby="components-heading">
                  <h3 id="components-heading">Each earning</h3>
                  \(table)
                </section>
                <section aria-labelledby="statements-heading">
                  <h3 id="statements-heading">Past statements</h3>
                  \(statements)
                </section>
                <section aria-labelledby="rating-heading">
                  <h3 id="rating-heading">Rating</h3>
                  \(rating)
                </section>
                """
        )
    }
}
