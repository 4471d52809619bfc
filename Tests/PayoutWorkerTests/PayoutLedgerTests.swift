import ConciergeCore
import ConciergePostgres
import ConciergeRuntime
import ConciergeSupport
import ConciergeTesting
import Foundation
import PayoutWorker
import Testing

/// The handler and ledger against a real PostgreSQL, each test in its own fresh database.
@Suite(.enabled(if: TestServices.enabled))
struct PayoutLedgerTests {
    let handler = TestRateCards.handler()

    @Test func resolutionEarnsItsComponentsAndPostsBalancedEntries() async throws {
        try await PayoutTestDatabase.with { db in
            try await db.apply(
                [Events.resolved("a1", complexity: "complex", vip: true, surge: 12500)], handler: handler)

            #expect(try await db.earnings("a1") == ["resolution": [500, 150, 162, 0, 0, 812]])
            let earning = try #require(
                try await db.connection.query(
                    "SELECT rate_card_version, period_id, event_period_id, currency, surge_bp FROM payout_earnings WHERE earning_id = 'a1:resolution'"
                ).first)
            #expect(try earning.decode(String.self, named: "rate_card_version") == "t1")
            #expect(try earning.decode(String.self, named: "period_id") == "2025-03")
            #expect(try earning.decode(String.self, named: "event_period_id") == "2025-03")
            #expect(try earning.decode(String.self, named: "currency") == "EUR")
            #expect(try earning.decode(Int.self, named: "surge_bp") == 12500)
            // One debit/credit pair per component, all linked to the conversation, offer and rate card.
            let entries = try await db.connection.query(
                """
                SELECT component, account, side, amount_minor FROM ledger_entries
                WHERE assignment_id = 'a1' AND conversation_id = 'a1-conv' AND offer_id = 'a1-offer' AND rate_card_version = 't1'
                ORDER BY component, side
                """
            )
            let rows = try entries.map {
                "\(try $0.decode(String.self, named: "component")) \(try $0.decode(String.self, named: "account")) \(try $0.decode(String.self, named: "side")) \(try $0.decode(Int.self, named: "amount_minor"))"
            }
            #expect(
                rows == [
                    "base agent_payable:agent-1 credit 500", "base agent_fees_expense debit 500",
                    "surge agent_payable:agent-1 credit 162", "surge agent_fees_expense debit 162",
                    "vip agent_payable:agent-1 credit 150", "vip agent_fees_expense debit 150",
                ])
            #expect(try await db.reconcile().isClean)
        }
    }

    @Test func unresolvedEarnsNothingAndUnknownMarketIsRejected() async throws {
        try await PayoutTestDatabase.with { db in
            try await db.apply(
                [Events.resolved("u1", outcome: "unresolved"), Events.feedback("u1", csat: 5)], handler: handler)
            #expect(try await db.earnings("u1").isEmpty)
            await #expect(throws: HandlerError.self) {
                try await db.apply([Events.resolved("x1", market: "US")], handler: handler)
            }
            #expect(try await db.reconcile().isClean)
        }
    }

    @Test func editedRateCardVersionIsRefused() async throws {
        try await PayoutTestDatabase.with { db in
            let ledger = PayoutLedger(cadence: .monthly)
            try await db.connection.transaction { try ledger.verify(TestRateCards.book, in: $0) }
            try await db.connection.transaction { try ledger.verify(TestRateCards.book, in: $0) }  // unchanged: fine
            let edited = try RateCardBook.parse(
                TestRateCards.yaml.replacingOccurrences(of: "csat_bonus: 100", with: "csat_bonus: 101"))
            let error = await #expect(throws: PayoutError.self) {
                try await db.connection.transaction { try ledger.verify(edited, in: $0) }
            }
            #expect(error?.code == .rateCardChanged)
        }
    }

    @Test func csatBonusIsPaidOnceForAQualifyingRating() async throws {
        try await PayoutTestDatabase.with { db in
            try await db.apply([Events.resolved("c1", complexity: "routine")], handler: handler)
            try await db.apply([Events.feedback("c1", csat: 4)], handler: handler)
            #expect(try await db.earnings("c1")["csat_bonus"] == nil)
            try await db.apply(
                [Events.feedback("c1", csat: 5), Events.feedback("c1", csat: 5, messageID: "c1.feedback.again")],
                handler: handler)
            #expect(try await db.earnings("c1")["csat_bonus"] == [0, 0, 0, 100, 0, 100])
            #expect(try await db.int("SELECT count(*) FROM payout_earnings WHERE assignment_id = 'c1'") == 2)
            #expect(try await db.reconcile().isClean)
        }
    }

    @Test func reopenWithinTheWindowClawsBackTheResolutionFee() async throws {
        try await PayoutTestDatabase.with { db in
            try await db.apply(
                [
                    Events.resolved("r1", vip: true, surge: 12500), Events.feedback("r1", csat: 5),
                    Events.resolved("r2", vip: true, surge: 12500, market: "UK", at: "2025-03-10T12:00:00Z"),
                    Events.resolved("r3"),
                ], handler: handler)
            try await db.apply(
                [
                    Events.reopened("r1", at: "2025-03-12T12:00:00Z"),
                    Events.reopened("r2", at: "2025-03-11T00:00:00Z"),  // UK: 24 h window, half clawed back
                    Events.reopened("r3", at: "2025-03-14T12:00:00Z"),  // after the 72 h window: nothing
                ], handler: handler)
            #expect(try await db.earnings("r1")["clawback"] == [0, 0, 0, 0, -812, -812])
            #expect(try await db.earnings("r1")["csat_bonus"] != nil, "the CSAT bonus is not clawed back")
            #expect(try await db.earnings("r2")["clawback"] == [0, 0, 0, 0, -356, -356])
            #expect(try await db.earnings("r3")["clawback"] == nil)
            #expect(
                try await db.int(
                    "SELECT -debit_balance_minor FROM payouts.ledger_balances WHERE account = 'agent_payable:agent-1' AND currency = 'EUR'"
                ) == 100 + 500)
            #expect(try await db.reconcile().isClean)
        }
    }

    @Test func feedbackAndReopenBeforeTheirResolutionAreAppliedWhenItArrives() async throws {
        try await PayoutTestDatabase.with { db in
            try await db.apply([Events.feedback("o1", csat: 5), Events.reopened("o2")], handler: handler)
            #expect(try await db.int("SELECT count(*) FROM payout_earnings") == 0)
            #expect(try await db.reconcile().isClean, "waiting events are not missing earnings")
            try await db.apply([Events.resolved("o1")], handler: handler)
            try await db.apply([Events.resolved("o2")], handler: handler)
            #expect(Set(try await db.earnings("o1").keys) == ["resolution", "csat_bonus"])
            #expect(try await db.earnings("o2")["clawback"] == [0, 0, 0, 0, -500, -500])
            #expect(try await db.reconcile().isClean)
        }
    }

    @Test func duplicateAppliedOnce() async throws {
        try await PayoutTestDatabase.with { db in
            let events = [
                Events.resolved("d1", vip: true, surge: 15000), Events.feedback("d1", csat: 5), Events.reopened("d1"),
            ]
            try await db.apply(events, handler: handler)
            let snapshot = "SELECT count(*) * 1000000 + coalesce(sum(amount_minor), 0) FROM ledger_entries"
            let before = try await db.int(snapshot)
            // The same messages again, and a re-sent resolution under a new message id; one that states another
            // surge than the escalation worker recorded is refused outright (see PayoutEventVerificationTests).
            try await db.apply(events, handler: handler)
            try await db.apply(
                [Events.resolved("d1", vip: true, surge: 15000, messageID: "d1.resolved.resent")], handler: handler)
            await #expect(throws: HandlerError.self) {
                try await db.apply(
                    [Events.resolved("d1", vip: true, surge: 20000, messageID: "d1.resolved.other")], handler: handler)
            }
            try await db.apply(events.reversed(), handler: handler)
            #expect(try await db.int(snapshot) == before)
            #expect(try await db.int("SELECT count(*) FROM payout_earnings") == 3)
            #expect(try await db.int("SELECT count(*) FROM ledger_transactions") == 3)
            #expect(try await db.reconcile().isClean)
        }
    }

    /// Random sequences of resolutions, ratings and reopens (with duplicates, in any order, in random batches) always
    /// leave a balanced ledger whose totals equal what the rules say, independent of order.
    @Test(arguments: [UInt64(1), 7, 2024, 99991])
    func ledgerAlwaysBalances(seed: UInt64) async throws {
        try await PayoutTestDatabase.with { db in
            var random = SplitMix64(seed: seed)
            let book = TestRateCards.book
            var events: [PayoutInput] = []
            var expected: [String: Int64] = [:]  // agent \0 currency -> payable
            for index in 0..<40 {
                let id = "p\(seed)-\(index)"
                let agent = "agent-\(Int.random(in: 0..<4, using: &random))"
                let market = Bool.random(using: &random) ? "EU" : "UK"
                let resolved = Int.random(in: 0..<10, using: &random) < 8
                let tier = ComplexityTier.allCases.randomElement(using: &random)!
                let vip = Bool.random(using: &random)
                let surge = [10000, 11000, 12500, 13333, 15000, 20000].randomElement(using: &random)!
                let day = Int.random(in: 1...27, using: &random)
                let resolvedAt = String(format: "2025-0%d-%02dT10:00:00Z", Int.random(in: 3...8, using: &random), day)
                events.append(
                    Events.resolved(
                        id, agent: agent, outcome: resolved ? "resolved" : "unresolved", complexity: tier.rawValue,
                        vip: vip, surge: surge, market: market, at: resolvedAt))
                if Bool.random(using: &random) {
                    events.append(
                        Events.resolved(
                            id, agent: agent, outcome: resolved ? "resolved" : "unresolved", complexity: tier.rawValue,
                            vip: vip, surge: surge, market: market, at: resolvedAt, messageID: "\(id).resent"))
                }
                var ratings: [Int] = []
                for _ in 0..<Int.random(in: 0...2, using: &random) {
                    let csat = Int.random(in: 1...5, using: &random)
                    ratings.append(csat)
                    events.append(
                        Events.feedback(
                            id, agent: agent, csat: csat, at: resolvedAt, messageID: "\(id).fb.\(ratings.count)"))
                }
                var reopenedAt: Date?
                if Int.random(in: 0..<3, using: &random) == 0 {
                    let hours = Int.random(in: 1...100, using: &random)
                    let at = Timestamps.parse(resolvedAt)!.addingTimeInterval(Double(hours) * 3600)
                    reopenedAt = at
                    events.append(Events.reopened(id, agent: agent, at: Timestamps.format(at)))
                }
                // The model: the same rules, applied in order.
                let card = book.card(market: market, at: Timestamps.parse(resolvedAt)!)!
                let resolution = PayoutPricing.Resolution(
                    resolved: resolved, complexity: tier, vip: vip, surge: BasisPoints(Int64(surge)),
                    resolvedAt: Timestamps.parse(resolvedAt)!)
                var total: Int64 = try PayoutPricing.resolutionEarning(resolution, card: card)?.total.minorUnits ?? 0
                if let best = ratings.max() {
                    total +=
                        PayoutPricing.csatBonus(csat: best, resolution: resolution, card: card)?.total.minorUnits ?? 0
                }
                if let reopenedAt {
                    total +=
                        try PayoutPricing.clawback(reopenedAt: reopenedAt, resolution: resolution, card: card)?.total
                        .minorUnits ?? 0
                }
                expected["\(agent)\u{0}\(card.currency.code)", default: 0] += total
            }
            // Duplicated deliveries, shuffled, in random batches.
            events += (0..<10).map { _ in events.randomElement(using: &random)! }
            events.shuffle(using: &random)
            var start = 0
            while start < events.count {
                let end = min(events.count, start + Int.random(in: 1...12, using: &random))
                try await db.apply(Array(events[start..<end]), handler: handler)
                start = end
            }

            var actual: [String: Int64] = [:]
            for row in try await db.connection.query(
                "SELECT account, currency, -debit_balance_minor AS credit_balance_minor FROM payouts.ledger_balances WHERE account LIKE 'agent_payable:%'"
            ) {
                let agent = String(try row.decode(String.self, named: "account").dropFirst("agent_payable:".count))
                actual["\(agent)\u{0}\(try row.decode(String.self, named: "currency"))"] = try row.decode(
                    Int64.self, named: "credit_balance_minor")
            }
            #expect(actual.filter { $0.value != 0 } == expected.filter { $0.value != 0 }, "seed \(seed)")
            #expect(
                try await db.int(
                    "SELECT count(*) FROM (SELECT currency FROM ledger_entries GROUP BY currency HAVING sum(CASE side WHEN 'debit' THEN amount_minor ELSE -amount_minor END) <> 0) t"
                ) == 0)
            let report = try await db.reconcile()
            #expect(report.isClean, "\(report)")
        }
    }

    @Test func periodCloseFreezesStatementsAndMovesLateEventsToTheNextOpenPeriod() async throws {
        try await PayoutTestDatabase.with { db in
            try await db.apply(
                [
                    Events.resolved("m1", agent: "alice", complexity: "complex", at: "2025-03-10T12:00:00Z"),
                    Events.feedback("m1", agent: "alice", csat: 5, at: "2025-03-11T12:00:00Z"),
                    Events.resolved("m2", agent: "bob", complexity: "routine", vip: true, at: "2025-03-20T12:00:00Z"),
                ], handler: handler)
            let closer = PeriodCloser(cadence: .monthly)
            let march = try PayPeriod(id: "2025-03")
            let result = try await db.connection.transaction { try closer.close(march, in: $0) }
            #expect(result.closedNow && result.statements == 2 && result.lines == 3)
            #expect(result.totals == ["EUR": 500 + 100 + 250 + 150])

            // Late events: a reopen and a resolution that happened in March arrive after the close.
            try await db.apply(
                [
                    Events.reopened("m1", agent: "alice", at: "2025-03-12T09:00:00Z"),
                    Events.resolved("m3", agent: "alice", complexity: "sensitive", at: "2025-03-30T12:00:00Z"),
                ], handler: handler)
            let late = try await db.connection.query(
                "SELECT earning_id, event_period_id, period_id FROM payout_earnings WHERE event_period_id <> period_id ORDER BY 1"
            )
            #expect(
                try late.map {
                    "\(try $0.decode(String.self, named: "earning_id")) \(try $0.decode(String.self, named: "event_period_id"))->\(try $0.decode(String.self, named: "period_id"))"
                }
                    == ["m1:clawback 2025-03->2025-04", "m3:resolution 2025-03->2025-04"])
            // March's statements did not move.
            #expect(
                try await db.int("SELECT sum(total_minor) FROM payout_statements WHERE period_id = '2025-03'") == 1000)
            let again = try await db.connection.transaction { try closer.close(march, in: $0) }
            #expect(!again.closedNow && again.statements == 2)
            // Nothing can be booked into a closed period, even bypassing the worker.
            await #expect(throws: PostgresError.self) {
                try await db.connection.query(
                    """
                    INSERT INTO payout_earnings (earning_id, assignment_id, kind, agent_id, conversation_id, offer_id, market, currency,
                        rate_card_version, base_minor, amount_minor, surge_bp, source_message_id, occurred_at, event_period_id, period_id)
                    VALUES ('m2:csat_bonus', 'm2', 'csat_bonus', 'bob', 'm2-conv', 'm2-offer', 'EU', 'EUR', 't1', 1, 1, 10000, 'x', now(), '2025-03', '2025-03')
                    """
                )
            }
            #expect(try await db.reconcile().isClean)

            // April closes with the late lines flagged.
            let april = try await db.connection.transaction { try closer.close(try PayPeriod(id: "2025-04"), in: $0) }
            #expect(april.statements == 1 && april.totals == ["EUR": -500 + 800])
            #expect(
                try await db.int("SELECT count(*) FROM payouts.statement_lines WHERE period_id = '2025-04' AND late")
                    == 2)
            let csv = try await db.connection.transaction {
                try StatementExport.csv(try PayPeriod(id: "2025-04"), in: $0)
            }
            let lines = csv.split(separator: "\r\n")
            #expect(lines.count == 3)
            #expect(lines[0].hasPrefix("statement_id,period_id,agent_id,display_name,currency,statement_total"))
            #expect(lines[1].contains("2025-04:alice:EUR,2025-04,alice,,EUR,3.00,1,m1:clawback,clawback"))
            #expect(lines[1].contains(",-500,-5.00,"))
            await #expect(throws: PayoutError.self) {
                try await db.connection.transaction { try StatementExport.csv(try PayPeriod(id: "2025-05"), in: $0) }
            }
            // A period that has not ended cannot be closed without the override.
            let current = PayPeriod.containing(Date(), cadence: .monthly)
            await #expect(throws: PayoutError.self) {
                try await db.connection.transaction { try closer.close(current, in: $0) }
            }
            #expect(try await db.reconcile().isClean)
        }
    }

    @Test func ledgerIsAppendOnlyAndCorrectionsAreReversals() async throws {
        try await PayoutTestDatabase.with { db in
            try await db.apply([Events.resolved("z1")], handler: handler)
            _ = try await db.connection.transaction {
                try PeriodCloser(cadence: .monthly).close(try PayPeriod(id: "2025-03"), in: $0)
            }
            for statement in [
                "UPDATE ledger_entries SET amount_minor = 1", "DELETE FROM ledger_entries", "TRUNCATE ledger_entries",
                "UPDATE ledger_transactions SET description = 'x'", "DELETE FROM ledger_transactions",
                "UPDATE payout_earnings SET source_message_id = 'x'", "DELETE FROM payout_earnings",
                "UPDATE payout_statements SET total_minor = 0", "DELETE FROM payout_statement_lines",
                "UPDATE payout_assignments SET vip = true", "UPDATE payout_rate_cards SET definition = '{}'",
                "UPDATE payout_periods SET status = 'open', closed_at = NULL", "DELETE FROM payout_periods",
            ] {
                await #expect(throws: PostgresError.self, "\(statement)") { try await db.connection.query(statement) }
            }
            // An unbalanced transaction is refused at commit.
            await #expect(throws: PostgresError.self) {
                try await db.connection.transaction { transaction in
                    try transaction.execute(
                        """
                        INSERT INTO ledger_entries (transaction_id, account, side, amount_minor, currency, component, agent_id, conversation_id, assignment_id, offer_id, rate_card_version)
                        SELECT transaction_id, 'agent_fees_expense', 'debit', 1, 'EUR', 'base', 'agent-1', 'z1-conv', 'z1', 'z1-offer', 't1' FROM ledger_transactions LIMIT 1
                        """
                    )
                }
            }
            // The correction: a reversing transaction in the open period, netting the earning to zero.
            let ledger = PayoutLedger(cadence: .monthly)
            let original = try await db.int(
                "SELECT transaction_id FROM ledger_transactions WHERE earning_id = 'z1:resolution'")
            let reversal = try await db.connection.transaction {
                try ledger.reverse(
                    transactionID: original, reason: "test", at: Timestamps.parse("2025-03-31T00:00:00Z")!, in: $0)
            }
            #expect(
                try await db.int(
                    "SELECT count(*) FROM ledger_transactions WHERE transaction_id = $1 AND period_id = '2025-04'",
                    [reversal]) == 1)
            #expect(
                try await db.int(
                    "SELECT debit_balance_minor FROM payouts.ledger_balances WHERE account = 'agent_payable:agent-1'")
                    == 0)
            await #expect(throws: PayoutError.self) {
                try await db.connection.transaction {
                    try ledger.reverse(transactionID: original, reason: "twice", at: Date(), in: $0)
                }
            }
            await #expect(throws: PayoutError.self) {
                try await db.connection.transaction {
                    try ledger.reverse(transactionID: reversal, reason: "of a reversal", at: Date(), in: $0)
                }
            }
            #expect(try await db.reconcile().isClean)
        }
    }

    @Test func accountantReadsTheViewsAndNothingElse() async throws {
        try await PayoutTestDatabase.with { db in
            try await db.apply([Events.resolved("v1", vip: true), Events.feedback("v1", csat: 5)], handler: handler)
            _ = try await db.connection.transaction {
                try PeriodCloser(cadence: .monthly).close(try PayPeriod(id: "2025-03"), in: $0)
            }
            try await db.connection.executeScript("GRANT concierge_accountant TO CURRENT_USER")
            _ = try await db.connection.query(
                "INSERT INTO inquiries (message_id, conversation_id, customer_id, channel, language, text, sent_at) VALUES ('i1', 'v1-conv', 'cust-v1', 'chat', 'en', 'secret text', now())"
            )

            let views = try await db.connection.query(
                "SELECT table_name FROM information_schema.views WHERE table_schema = 'payouts' ORDER BY 1"
            )
            .map { try $0.decode(String.self, named: "table_name") }
            #expect(views.count >= 12)
            let counts = try await db.connection.transaction { transaction in
                try transaction.execute("SET LOCAL ROLE concierge_accountant")
                return try views.map { view in
                    // View names come from the catalog above, not from input.
                    try transaction.query("SELECT count(*) FROM payouts.\(view)").first!.decode(
                        Int.self, named: "count")
                }
            }
            #expect(counts.reduce(0, +) > 0)
            let personal = try await db.int(
                "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'payouts' AND column_name IN ('customer_id', 'text', 'language', 'channel')"
            )
            #expect(personal == 0)

            for forbidden in [
                "SELECT * FROM inquiries", "SELECT * FROM customers", "SELECT * FROM payout_earnings",
                "SELECT * FROM ledger_entries",
                "SELECT * FROM payout_feedback", "INSERT INTO payouts.agents VALUES ('x', 'y')",
                "UPDATE payouts.statements SET total_minor = 0",
                "DELETE FROM payouts.ledger_entries", "CREATE TABLE payouts.mine (x int)",
                "CREATE TABLE public.mine (x int)",
                "INSERT INTO ledger_entries (transaction_id) VALUES (1)",
            ] {
                let error = await #expect(throws: PostgresError.self, "\(forbidden)") {
                    try await db.connection.transaction { transaction in
                        try transaction.execute("SET LOCAL ROLE concierge_accountant")
                        try transaction.execute(forbidden)
                    }
                }
                // 42501: permission denied; 55000: a view that cannot be written at all.
                #expect(
                    ["42501", "55000"].contains(error?.sqlState),
                    "\(forbidden): \(error.map { String(describing: $0) } ?? "")")
            }
        }
    }

    @Test func reconcileDetectsTamperedRows() async throws {
        try await PayoutTestDatabase.with { db in
            try await db.apply(
                [
                    Events.resolved("t1", vip: true, surge: 12500), Events.feedback("t1", csat: 5),
                    Events.resolved("t2"),
                ], handler: handler)
            _ = try await db.connection.transaction {
                try PeriodCloser(cadence: .monthly).close(try PayPeriod(id: "2025-03"), in: $0)
            }
            #expect(try await db.reconcile().isClean)

            // Tamper the way only the tables' owner or a superuser can: switch the append-only trigger off for a moment.
            try await db.connection.executeScript(
                """
                ALTER TABLE ledger_entries DISABLE TRIGGER ledger_entries_append_only;
                UPDATE ledger_entries SET amount_minor = amount_minor + 1
                    WHERE entry_id = (SELECT min(entry_id) FROM ledger_entries WHERE account LIKE 'agent_payable:%');
                ALTER TABLE ledger_entries ENABLE TRIGGER ledger_entries_append_only;
                ALTER TABLE payout_statements DISABLE TRIGGER payout_statements_append_only;
                UPDATE payout_statements SET total_minor = total_minor + 100;
                ALTER TABLE payout_statements ENABLE TRIGGER payout_statements_append_only;
                """
            )
            let report = try await db.reconcile()
            #expect(!report.isClean)
            let checks = Set(report.findings.map(\.check))
            #expect(
                checks.isSuperset(of: [
                    .ledgerBalancesPerCurrency, .transactionBalanced, .earningPosted, .statementTotals,
                ]), "\(report)")
            #expect(report.description.contains("reconcile: "))

            // An earning repriced behind the trigger's back no longer matches its rate card.
            try await db.connection.executeScript(
                """
                ALTER TABLE payout_earnings DISABLE TRIGGER payout_earnings_append_only;
                UPDATE payout_earnings SET base_minor = base_minor + 50, amount_minor = amount_minor + 50 WHERE earning_id = 't2:resolution';
                ALTER TABLE payout_earnings ENABLE TRIGGER payout_earnings_append_only;
                """
            )
            let second = try await db.reconcile()
            #expect(
                second.findings.contains { $0.check == .assignmentEarnings && $0.detail.contains("t2") }, "\(second)")
        }
    }
}
