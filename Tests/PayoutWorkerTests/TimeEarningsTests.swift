import ConciergeCore
import ConciergePostgres
import ConciergeRuntime
import ConciergeTesting
import Foundation
import PayoutWorker
import Testing

/// Hourly pay and hybrid guarantees from constructed presence records, booked when a period closes, on statements,
/// and derived again by reconcile — each test in its own fresh database.
@Suite(.enabled(if: TestServices.enabled))
struct TimeEarningsTests {
    let book = TimeRateCards.book

    @Test func hourlyPayCountsWholeMinutesAcrossFlapsNightsAndRateChanges() async throws {
        try await PayoutTestDatabase.with { db in
            // Flaps: ten 90-second sessions = 15 minutes (each alone would be cut to 1 minute: 10).
            for i in 0..<10 {
                let start = 10 * 3600 + i * 150
                func time(_ seconds: Int) -> String {
                    String(format: "2025-03-10T%02d:%02d:%02dZ", seconds / 3600, seconds / 60 % 60, seconds % 60)
                }
                try await db.session("se-flap", "se", time(start), time(start + 90))
            }
            // Overnight into April (h2: 450/h): 120 minutes in March, 150 in April.
            try await db.session("se-night", "SE", "2025-03-31T22:00:00Z", "2025-04-01T02:30:00Z")
            // Across the rate change on 15 March: 60 minutes at 400/h, 60 at 450/h.
            try await db.session("se-split", "SE", "2025-03-14T23:00:00Z", "2025-03-15T01:00:00Z")
            // Still online when March ends: counted up to the end of March.
            try await db.session("se-open", "SE", "2025-03-31T23:30:00Z", nil)
            // A session of 59.9 s earns nothing; a per-resolution market's time earns nothing.
            try await db.session("se-blip", "SE", "2025-03-03T10:00:00Z", "2025-03-03T10:00:59.9Z")
            try await db.session("eu-agent", "EU", "2025-03-03T10:00:00Z", "2025-03-03T18:00:00Z")
            // Overlapping records of one agent are merged: 10:00-11:30 is 90 minutes, not 120.
            try await db.session("se-dup", "SE", "2025-03-05T10:00:00Z", "2025-03-05T11:00:00Z")
            try await db.session("se-dup", "SE", "2025-03-05T10:30:00Z", "2025-03-05T11:30:00Z")

            let closed = try await db.close("2025-03", book: book)
            #expect(closed.closedNow && closed.statements == 5)
            #expect(
                try await db.timeEarnings("2025-03") == [
                    "time:2025-03:se-flap:SE:h1:hourly": [15, 10000, 0, 10000, -1, -1],
                    "time:2025-03:se-night:SE:h2:hourly": [120, 90000, 0, 90000, -1, -1],
                    "time:2025-03:se-split:SE:h1:hourly": [60, 40000, 0, 40000, -1, -1],
                    "time:2025-03:se-split:SE:h2:hourly": [60, 45000, 0, 45000, -1, -1],
                    "time:2025-03:se-open:SE:h2:hourly": [30, 22500, 0, 22500, -1, -1],
                    "time:2025-03:se-dup:SE:h1:hourly": [90, 60000, 0, 60000, -1, -1],
                ])
            // On the statement with their minutes and rate, in the ledger as the agent's payable.
            let lines = try await db.connection.query(
                """
                SELECT kind, minutes_online, rate_per_hour_minor, hourly_minor, amount_minor FROM payouts.statement_lines
                WHERE statement_id = '2025-03:se-split:SEK' ORDER BY line_no
                """
            ).map {
                "\(try $0.decode(String.self, named: "kind")) \(try $0.decode(Int.self, named: "minutes_online")) \(try $0.decode(Int.self, named: "rate_per_hour_minor")) \(try $0.decode(Int.self, named: "hourly_minor")) \(try $0.decode(Int.self, named: "amount_minor"))"
            }
            #expect(Set(lines) == ["hourly 60 40000 40000 40000", "hourly 60 45000 45000 45000"])
            #expect(try await db.creditBalance("agent_payable:se-night", "SEK") == 90000)
            #expect(try await db.reconcile().isClean)

            // The open session ends ten minutes into April; April pays the night's rest and those ten minutes.
            try await db.connection.query(
                "UPDATE agent_presence_sessions SET offline_at = '2025-04-01T00:10:00Z' WHERE agent_id = 'se-open'"
            )
            try await db.close("2025-04", book: book)
            #expect(
                try await db.timeEarnings("2025-04") == [
                    "time:2025-04:se-night:SE:h2:hourly": [150, 112500, 0, 112500, -1, -1],
                    "time:2025-04:se-open:SE:h2:hourly": [10, 7500, 0, 7500, -1, -1],
                ])
            // Closing again books nothing more.
            try await db.close("2025-04", book: book)
            #expect(try await db.int("SELECT count(*) FROM payout_earnings WHERE kind = 'hourly'") == 8)
            #expect(try await db.reconcile().isClean)

            // A presence record changed after the close no longer supports what was paid.
            try await db.session("se-flap", "SE", "2025-03-12T10:00:00Z", "2025-03-12T11:00:00Z")
            let report = try await db.reconcile()
            #expect(
                report.findings.contains {
                    $0.check == .timeEarnings && $0.detail.contains("se-flap") && $0.detail.contains("75 min")
                }, "\(report)")
        }
    }

    @Test func hybridTopsUpTheGuaranteePerPeriod() async throws {
        try await PayoutTestDatabase.with { db in
            let handler = TimeRateCards.handler()
            // Two hours online, one routine resolution (2.20): the guarantee of 25.00 is topped up by 22.80.
            try await db.session("uk-slow", "UK", "2025-03-10T09:00:00Z", "2025-03-10T10:30:00Z")
            try await db.session("uk-slow", "UK", "2025-03-10T11:00:00Z", "2025-03-10T11:30:00Z")
            // One hour, three complex resolutions (13.20 > 12.50): no top-up.
            try await db.session("uk-busy", "UK", "2025-03-11T09:00:00Z", "2025-03-11T10:00:00Z")
            // One hour, one resolution clawed back by a reopen: counted 0, the whole guarantee is paid.
            try await db.session("uk-clawed", "UK", "2025-03-12T09:00:00Z", "2025-03-12T10:00:00Z")
            try await db.apply(
                [
                    Events.resolved(
                        "s1", agent: "uk-slow", complexity: "routine", market: "UK", at: "2025-03-10T10:00:00Z"),
                    Events.resolved("b1", agent: "uk-busy", market: "UK", at: "2025-03-11T09:10:00Z"),
                    Events.resolved("b2", agent: "uk-busy", market: "UK", at: "2025-03-11T09:20:00Z"),
                    Events.resolved("b3", agent: "uk-busy", market: "UK", at: "2025-03-11T09:30:00Z"),
                    Events.resolved("c1", agent: "uk-clawed", market: "UK", at: "2025-03-12T09:30:00Z"),
                    Events.feedback("s1", agent: "uk-slow", csat: 5, at: "2025-03-10T12:00:00Z"),
                ], handler: handler)
            try await db.apply(
                [Events.reopened("c1", agent: "uk-clawed", at: "2025-03-12T18:00:00Z")], handler: handler)

            try await db.close("2025-03", book: book)
            #expect(
                try await db.timeEarnings("2025-03") == [
                    "time:2025-03:uk-slow:UK:h1:guarantee_topup": [120, 0, 2280, 2280, 2500, 220],
                    "time:2025-03:uk-clawed:UK:h1:guarantee_topup": [60, 0, 1250, 1250, 1250, 0],
                ])
            // The slow agent's statement: the resolution, the CSAT bonus on top, the top-up.
            #expect(
                try await db.int("SELECT total_minor FROM payout_statements WHERE statement_id = '2025-03:uk-slow:GBP'")
                    == 220 + 90 + 2280)
            #expect(
                try await db.int("SELECT total_minor FROM payout_statements WHERE statement_id = '2025-03:uk-busy:GBP'")
                    == 3 * 440)
            let explained = try #require(
                try await db.connection.query(
                    "SELECT minimum_per_hour_minor, guaranteed_minor, counted_minor FROM payouts.earnings WHERE kind = 'guarantee_topup' AND agent_id = 'uk-slow'"
                ).first)
            #expect(
                try ["minimum_per_hour_minor", "guaranteed_minor", "counted_minor"].map {
                    try explained.decode(Int.self, named: $0)
                } == [1250, 2500, 220])
            #expect(try await db.reconcile().isClean)

            // A top-up inflated behind the triggers' back is caught.
            try await db.tamper(
                ["payout_earnings"],
                "UPDATE payout_earnings SET guarantee_minor = guarantee_minor + 100, amount_minor = amount_minor + 100 WHERE agent_id = 'uk-clawed' AND kind = 'guarantee_topup';"
            )
            let report = try await db.reconcile()
            #expect(
                report.findings.contains { $0.check == .timeEarnings && $0.detail.contains("uk-clawed") }, "\(report)")
        }
    }

    @Test func staffAgentsEarnNoHourlyPay() async throws {
        try await PayoutTestDatabase.with { db in
            // The escalation worker's staff pool (agents.kind, added by the conversation work) is paid by payroll.
            try await db.connection.executeScript(
                """
                ALTER TABLE agents ADD COLUMN IF NOT EXISTS kind text NOT NULL DEFAULT 'gig';
                INSERT INTO customers (customer_id, display_name, market) VALUES ('c-staff', 'Staff', 'SE'), ('c-gig', 'Gig', 'SE');
                INSERT INTO agents (agent_id, customer_id, status, status_reason, market, languages, skills, capacity, kind) VALUES
                    ('staff-1', 'c-staff', 'active', 'test', 'SE', '{en}', '{general}', 2, 'staff'),
                    ('gig-1', 'c-gig', 'active', 'test', 'SE', '{en}', '{general}', 2, 'gig');
                """
            )
            try await db.session("staff-1", "SE", "2025-03-10T09:00:00Z", "2025-03-10T17:00:00Z")
            try await db.session("gig-1", "SE", "2025-03-10T09:00:00Z", "2025-03-10T10:00:00Z")
            try await db.close("2025-03", book: book)
            #expect(
                try await db.timeEarnings("2025-03") == [
                    "time:2025-03:gig-1:SE:h1:hourly": [60, 40000, 0, 40000, -1, -1]
                ])
            #expect(try await db.reconcile().isClean)
        }
    }

    @Test func timeWhilePausedIsNotPaid() async throws {
        try await PayoutTestDatabase.with { db in
            try await db.connection.executeScript(
                """
                INSERT INTO customers (customer_id, display_name, market) VALUES ('c-p', 'P', 'SE'), ('c-s', 'S', 'SE');
                INSERT INTO agents (agent_id, customer_id, status, status_reason, market, languages, skills, capacity) VALUES
                    ('se-paused', 'c-p', 'active', 'test', 'SE', '{en}', '{general}', 2),
                    ('se-suspended', 'c-s', 'suspended', 'test', 'SE', '{en}', '{general}', 2);
                -- Enrolment writes applicant and active at the same instant; then paused 11:00-13:00.
                INSERT INTO agent_status_history (agent_id, status, reason, changed_at) VALUES
                    ('se-paused', 'active', 'eligible', '2025-03-01T00:00:00Z'), ('se-paused', 'applicant', 'applied', '2025-03-01T00:00:00Z'),
                    ('se-paused', 'paused', 'break', '2025-03-10T11:00:00Z'), ('se-paused', 'active', 'back', '2025-03-10T13:00:00Z'),
                    ('se-suspended', 'applicant', 'applied', '2025-03-01T00:00:00Z'), ('se-suspended', 'active', 'eligible', '2025-03-01T00:00:00Z'),
                    ('se-suspended', 'suspended', 'review', '2025-03-10T10:00:00Z');
                """
            )
            // Online 09:00-17:00 with a two-hour pause: 6 hours. Suspended at 10:00 while online: 1 hour.
            try await db.session("se-paused", "SE", "2025-03-10T09:00:00Z", "2025-03-10T17:00:00Z")
            try await db.session("se-suspended", "SE", "2025-03-10T09:00:00Z", "2025-03-10T17:00:00Z")
            try await db.close("2025-03", book: book)
            #expect(
                try await db.timeEarnings("2025-03") == [
                    "time:2025-03:se-paused:SE:h1:hourly": [360, 240000, 0, 240000, -1, -1],
                    "time:2025-03:se-suspended:SE:h1:hourly": [60, 40000, 0, 40000, -1, -1],
                ])
            #expect(try await db.reconcile().isClean)
        }
    }

    @Test func aPeriodClosedEarlyCountsTimeUpToTheClose() async throws {
        try await PayoutTestDatabase.with { db in
            try await db.session("se-early", "SE", "2025-03-10T09:00:00Z", nil)
            let close = try #require(Timestamps.parse("2025-03-10T10:00:30Z"))
            try await db.close("2025-03", book: book, now: close, beforeEnd: true)
            #expect(
                try await db.timeEarnings("2025-03") == [
                    "time:2025-03:se-early:SE:h1:hourly": [60, 40000, 0, 40000, -1, -1]
                ])
            #expect(try await db.reconcile().isClean, "reconcile uses the same cutoff: the close time")
        }
    }
}
