import ArgumentParser
import ConciergePostgres
import ConciergeReports
import ConciergeRuntime
import Foundation

/// What the fleet did, from PostgreSQL: conversations per lane and intent with their outcomes (an AI answer counts as
/// resolved only when the customer neither asked for a person, nor was handed off, nor came back about the same intent
/// within the window), automation and repeat-inquiry rates, hand-offs by reason, response and resolution times, CSAT,
/// the human lane's wait and SLA breaches; then routes, VIP handling and agent earnings.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Summarise what the fleet did (outcomes per lane and intent, response times, VIPs, payouts).",
        discussion: """
            --json writes only the outcome figures, with stable keys (conversations, automation_rate, \
            ai_resolution_rate, repeat_inquiry_rate, handoffs_by_reason, first_response_ms, resolution_ms, \
            human_wait_ms, sla_breaches, csat, outcomes, by_intent); --prometheus the same figures as Prometheus gauges.
            """
    )

    @Option(help: "Conversations started at or after this time (ISO 8601, e.g. 2026-12-01T00:00:00Z). Default: all.")
    var since: String?

    @Option(help: "Conversations started before this time (ISO 8601). Default: now.")
    var until: String?

    @Option(help: "Seconds after the AI's answer within which a repeat, a request for a person or a hand-off undoes a resolution.")
    var windowSeconds: Int = 24 * 3600

    @Flag(help: "Print the outcome figures as JSON with stable keys.")
    var json = false

    @Flag(help: "Print the outcome figures as Prometheus gauges (text exposition format).")
    var prometheus = false

    func validate() throws {
        if let since, Self.parseTime(since) == nil { throw ValidationError("--since '\(since)' is not an ISO 8601 time") }
        if let until, Self.parseTime(until) == nil { throw ValidationError("--until '\(until)' is not an ISO 8601 time") }
        guard self.windowSeconds > 0 else { throw ValidationError("--window-seconds must be positive") }
        guard !(self.json && self.prometheus) else { throw ValidationError("choose one of --json and --prometheus") }
    }

    static func parseTime(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withFullDate]
        return formatter.date(from: text)
    }

    func run() async throws {
        let context = try await CommandContext.make()
        let database = try await PostgresConnection.connect(
            configuration: try context.configuration.postgres(applicationName: "conciergectl-report"), logger: context.logger
        )
        do {
            let now = Date()
            let until = self.until.flatMap(Self.parseTime) ?? now
            let since = self.since.flatMap(Self.parseTime) ?? Date(timeIntervalSince1970: 0)
            let window = Duration.seconds(self.windowSeconds)
            let outcomes = try await ConversationOutcomes.fetch(database, since: since, until: until, window: window, asOf: now)
            let report = OutcomeReport(outcomes: outcomes, since: since, until: until, asOf: now, window: window)
            if self.json {
                print(try report.json())
            } else if self.prometheus {
                print(report.prometheus(), terminator: "")
            } else {
                report.text().forEach { print($0) }
                try await self.report(database)
            }
        } catch {
            await database.close()
            throw error
        }
        await database.close()
    }

    func report(_ database: PostgresConnection) async throws {
        func rows(_ sql: String) async throws -> PostgresResult { try await database.query(sql) }
        func int(_ sql: String) async throws -> Int { try await rows(sql).first?.decode(Int.self, at: 0) ?? 0 }

        print("routes:")
        for row in try await rows("SELECT route, priority, count(*) FROM routing_decisions GROUP BY 1, 2 ORDER BY 1, 2") {
            print("  \(try row.decode(String.self, at: 0)) / \(try row.decode(String.self, at: 1)): \(try row.decode(Int.self, at: 2))")
        }
        print("why humans (classifier reasons, and AI hand-offs):")
        for row in try await rows(
            """
            SELECT kind, count(*) FROM (
                SELECT split_part(reason, ':', 1) AS kind FROM routing_decisions, unnest(reasons) AS reason WHERE route <> 'ai'
                UNION ALL SELECT 'handoff:' || reason FROM ai_handoffs
            ) reasons GROUP BY 1 ORDER BY 2 DESC, 1
            """
        ) {
            print("  \(try row.decode(String.self, at: 0)): \(try row.decode(Int.self, at: 1))")
        }

        func percentiles(_ label: String, _ sql: String) async throws {
            guard let row = try await rows(sql).first, !row.isNull(at: 0) else {
                print("  \(label): none")
                return
            }
            let values = try (0..<4).map { try row.decode(Double.self, at: $0) }
            let count = try row.decode(Int.self, at: 4)
            print("  \(label): \(count) — p50 \(Self.format(values[0]))  p90 \(Self.format(values[1]))  p99 \(Self.format(values[2]))  max \(Self.format(values[3]))")
        }
        let statistics = """
            percentile_cont(0.5) WITHIN GROUP (ORDER BY s), percentile_cont(0.9) WITHIN GROUP (ORDER BY s),
            percentile_cont(0.99) WITHIN GROUP (ORDER BY s), max(s), count(*)
            """
        print("time to an agent (from receipt):")
        try await percentiles(
            "human lane, agent assigned",
            """
            SELECT \(statistics) FROM (SELECT extract(epoch FROM coalesce(e.first_response_at, e.assigned_at) - min(i.received_at))::float8 AS s
                FROM escalations e JOIN inquiries i USING (conversation_id) WHERE e.assigned_at IS NOT NULL
                GROUP BY e.escalation_id, e.first_response_at, e.assigned_at) t
            """
        )
        try await percentiles(
            "VIP, agent assigned",
            """
            SELECT \(statistics) FROM (SELECT extract(epoch FROM coalesce(e.first_response_at, e.assigned_at) - min(i.received_at))::float8 AS s
                FROM escalations e JOIN inquiries i USING (conversation_id) WHERE e.assigned_at IS NOT NULL AND e.vip
                GROUP BY e.escalation_id, e.first_response_at, e.assigned_at) t
            """
        )
        let vips = try await int("SELECT count(*) FROM routing_decisions d JOIN customers c USING (customer_id) WHERE c.tier = 'vip'")
        let vipsToHumans = try await int(
            "SELECT count(*) FROM routing_decisions d JOIN customers c USING (customer_id) WHERE c.tier = 'vip' AND d.route <> 'ai'"
        )
        print("VIP inquiries:        \(vips), to a human first: \(vipsToHumans)")
        print("escalations:")
        for row in try await rows("SELECT state, count(*) FROM escalations GROUP BY 1 ORDER BY 1") {
            print("  \(try row.decode(String.self, at: 0)): \(try row.decode(Int.self, at: 1))")
        }
        let breaches = try await int("SELECT count(*) FROM escalations WHERE sla_breached")
        print("  SLA breaches: \(breaches)")
        print("agent earnings (open and closed periods):")
        let earnings = try await rows(
            "SELECT agent_id, currency, earnings, total::text FROM payouts.agent_period_totals ORDER BY total_minor DESC, agent_id LIMIT 10"
        )
        if earnings.isEmpty { print("  none yet") }
        for row in earnings {
            print("  \(try row.decode(String.self, at: 0)): \(try row.decode(String.self, at: 3)) \(try row.decode(String.self, at: 1)) for \(try row.decode(Int.self, at: 2)) earnings")
        }
    }

    static func format(_ seconds: Double) -> String {
        seconds < 1 ? "\(Int((seconds * 1000).rounded())) ms" : "\(String(format: "%.1f", seconds)) s"
    }
}
