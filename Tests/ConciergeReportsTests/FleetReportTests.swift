import ConciergePostgres
import ConciergeReports
import ConciergeRuntime
import ConciergeSchema
import ConciergeTesting
import Foundation
import Logging
import Testing

/// The fleet-wide part of `conciergectl report`: its lines from known figures, and its queries against the real schema.
@Suite struct FleetReportTests {
    static let figures = FleetReport(
        routes: [.init("ai / normal", 7), .init("human / high", 2)],
        humanReasons: [.init("intent", 2), .init("handoff:asked_for_person", 1)],
        timeToAgent: .init(p50: 0.25, p90: 1.5, p99: 12, max: 30, count: 2), vipTimeToAgent: nil, vipInquiries: 3,
        vipInquiriesToHumans: 3,
        escalationsByState: [.init("resolved", 2)], slaBreaches: 1, topEarnings: []
    )

    @Test func linesPrintEachSectionInOrder() {
        #expect(
            Self.figures.lines() == [
                "routes:", "  ai / normal: 7", "  human / high: 2",
                "why humans (classifier reasons, and AI hand-offs):", "  intent: 2", "  handoff:asked_for_person: 1",
                "time to an agent (from receipt):",
                "  human lane, agent assigned: 2 — p50 250 ms  p90 1.5 s  p99 12.0 s  max 30.0 s",
                "  VIP, agent assigned: none",
                "VIP inquiries:        3, to a human first: 3",
                "escalations:", "  resolved: 2", "  SLA breaches: 1",
                "agent earnings (open and closed periods):", "  none yet",
            ])
        var paid = Self.figures
        paid.topEarnings = [.init(agentID: "agent_1", currency: "EUR", earnings: 4, total: "12.50")]
        #expect(paid.lines().last == "  agent_1: 12.50 EUR for 4 earnings")
    }

    @Test(arguments: [(0.0004, "0 ms"), (0.8504, "850 ms"), (1.0, "1.0 s"), (61.26, "61.3 s")])
    func secondsBelowOneAreMilliseconds(seconds: Double, text: String) {
        #expect(FleetReport.format(seconds) == text)
    }

    /// Every query runs against the migrated schema and decodes its columns by name; an SLA breach of this test's own
    /// escalation is counted (the database is shared, so only at-least counts are known).
    @Test(.enabled(if: TestServices.enabled))
    func loadsFromTheMigratedSchema() async throws {
        let logger = Logger(label: "test.fleet-report")
        let database = try await PostgresConnection.connect(
            configuration: try PostgresConfiguration(url: TestServices.postgresURL), logger: logger)
        try await Migrator.fleet().migrate(database, logger: logger)
        let before = try await FleetReport.load(database)
        let id = TestServices.uniqueName("fleet-report")
        _ = try await database.query(
            """
            INSERT INTO escalations (escalation_id, conversation_id, customer_id, market, language, skills, priority, vip, service_class,
                class_rank, complexity, reasons, state, sla_due_at, sla_breached)
            VALUES ($1, $1, 'cus_fleet_report', 'EU', 'en', '{general}', 'normal', false, 'normal', 1, 'routine', '{test}', 'resolved',
                now(), true)
            """,
            [id]
        )
        let after = try await FleetReport.load(database)
        await database.close()
        #expect(after.slaBreaches >= before.slaBreaches + 1)
        let resolved = try #require(after.escalationsByState.first { $0.key == "resolved" })
        #expect(resolved.count >= 1)
        #expect(after.topEarnings.count <= 10)
    }
}
