import ArgumentParser
import ConciergePostgres
import ConciergeRuntime

/// What the fleet did, from PostgreSQL: inquiries and their routes, what the AI resolved, why humans were needed,
/// time to first response per lane, VIP handling and agent earnings.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Summarise what the fleet did (routing, AI resolution, response times, VIPs, payouts)."
    )

    func run() async throws {
        let context = try await CommandContext.make()
        let database = try await PostgresConnection.connect(
            configuration: try context.configuration.postgres(applicationName: "conciergectl-report"), logger: context.logger
        )
        do {
            try await self.report(database)
        } catch {
            await database.close()
            throw error
        }
        await database.close()
    }

    func report(_ database: PostgresConnection) async throws {
        func rows(_ sql: String) async throws -> PostgresResult { try await database.query(sql) }
        func int(_ sql: String) async throws -> Int { try await rows(sql).first?.decode(Int.self, at: 0) ?? 0 }

        let total = try await int("SELECT count(*) FROM routing_decisions")
        let answered = try await int("SELECT count(*) FROM ai_replies WHERE kind = 'answer'")
        let clarifications = try await int("SELECT count(*) FROM ai_replies WHERE kind = 'clarification'")
        let handoffs = try await int("SELECT count(*) FROM ai_handoffs")
        let aiRouted = try await int("SELECT count(*) FROM routing_decisions WHERE route = 'ai'")
        print("inquiries handled:    \(total)")
        print("routed to the AI:     \(aiRouted) — answered \(answered), asked to clarify \(clarifications), handed to humans \(handoffs)")
        if total > 0 {
            print("resolved by the AI:   \(answered) of \(total) (\(answered * 100 / total) %)")
        }
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
        print("time to first response (from receipt):")
        try await percentiles(
            "AI lane, reply",
            "SELECT \(statistics) FROM (SELECT extract(epoch FROM r.created_at - i.received_at)::float8 AS s FROM ai_replies r JOIN inquiries i ON i.message_id = r.inquiry_id) t"
        )
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
