import ConciergePostgres
import ConciergeRuntime
import ConciergeSchema
import ConciergeTesting
import Foundation
import Logging
import Testing

@testable import ConciergeAdmin

/// The figures printed after `simulate agents --inquiries`, from constructed escalations and offers of a run of its
/// own (`sim-<run>-…`) in the real database.
@Suite(.enabled(if: TestServices.enabled))
struct SimulationReportTests {
    static func database() async throws -> PostgresConnection {
        let logger = Logger(label: "test.simulation-report")
        let database = try await PostgresConnection.connect(
            configuration: try PostgresConfiguration(url: TestServices.postgresURL), logger: logger)
        try await Migrator.fleet().migrate(database, logger: logger)
        return database
    }

    /// An escalation of the run, enqueued at `t0`, assigned `assignedAfter` seconds later (nil: not assigned).
    static func escalation(
        _ database: PostgresConnection, run: String, _ n: Int, serviceClass: String, assignedAfter: Double?,
        state: String, breached: Bool = false
    ) async throws {
        _ = try await database.query(
            """
            INSERT INTO escalations (escalation_id, conversation_id, customer_id, market, language, skills, priority, vip, service_class,
                class_rank, complexity, reasons, state, enqueued_at, sla_due_at, sla_breached, first_offer_at, assigned_at)
            VALUES ($1, $1, $2, 'EU', 'en', '{general}', 'normal', $3 = 'vip', $3, 1, 'routine', '{simulation}', $4,
                timestamptz '2001-01-01 00:00:00Z', timestamptz '2001-01-01 01:00:00Z', $5,
                timestamptz '2001-01-01 00:00:00Z' + interval '1 second',
                timestamptz '2001-01-01 00:00:00Z' + $6::float8 * interval '1 second')
            """,
            ["sim-\(run)-\(n)", "cus-\(run)", serviceClass, state, breached, assignedAfter]
        )
    }

    @Test func assignmentTimesByClassWithTheOverallRowAndOfferOutcomes() async throws {
        let database = try await Self.database()
        let run = TestServices.uniqueName("simrep").replacingOccurrences(of: ".", with: "-")
        let agent = "agent-\(run)"
        _ = try await database.query(
            "INSERT INTO customers (customer_id, display_name) VALUES ($1, 'Test agent')", ["cust-\(agent)"])
        _ = try await database.query(
            """
            INSERT INTO agents (agent_id, customer_id, status, status_reason, market, languages, skills, capacity)
            VALUES ($1, $2, 'active', 'test', 'EU', '{en}', '{general}', 2)
            """,
            [agent, "cust-\(agent)"]
        )
        try await Self.escalation(database, run: run, 1, serviceClass: "normal", assignedAfter: 2, state: "resolved")
        try await Self.escalation(
            database, run: run, 2, serviceClass: "normal", assignedAfter: 4, state: "assigned", breached: true)
        try await Self.escalation(database, run: run, 3, serviceClass: "vip", assignedAfter: 1, state: "resolved")
        try await Self.escalation(database, run: run, 4, serviceClass: "normal", assignedAfter: nil, state: "waiting")
        for (n, state, surge) in [
            (1, "accepted", 10_000), (2, "accepted", 12_000), (3, "declined", 10_000), (4, "expired", 14_000),
        ] {
            _ = try await database.query(
                """
                INSERT INTO offers (offer_id, escalation_id, agent_id, attempt, state, surge_bp, offered_at, expires_at, responded_at)
                VALUES ($1, $2, $3, 1, $4, $5, timestamptz '2001-01-01 00:00:01Z', timestamptz '2001-01-01 00:01:00Z',
                    timestamptz '2001-01-01 00:00:01Z' + interval '3 seconds')
                """,
                ["offer-\(run)-\(n)", "sim-\(run)-\(n)", agent, state, surge]
            )
        }

        #expect(try await SimulationReport.resolvedCount(run: run, on: database) == 2)
        let report = try await SimulationReport.load(run: run, on: database)
        await database.close()

        #expect(report.assignments.map(\.serviceClass) == ["all", "normal", "vip"])
        let all = try #require(report.assignments.first)
        #expect(all.count == 3)
        #expect(all.p50 == 2)
        #expect(all.max == 4)
        #expect(all.slaBreaches == 1)
        #expect(report.assignments[1].count == 2)
        #expect(report.assignments[1].p50 == 3)
        #expect(report.assignments[2].slaBreaches == 0)
        #expect(
            [Int]([report.offers, report.accepted, report.declined, report.expired, report.withdrawn]) == [
                4, 2, 1, 1, 0,
            ] as [Int])
        #expect(report.meanSurgeBp == 11_500)
        #expect(report.maxSurgeBp == 14_000)
        #expect(report.medianTimeToFirstOffer == 1)
        #expect(report.medianTimeToAccept == 3)

        let lines = report.lines()
        #expect(lines.contains("all          3    2.00    3.60    3.80    3.96    4.00  1"))
        #expect(lines.contains("offers: 4 (accepted 2, declined 1, expired 1, withdrawn 0); acceptance rate 50%"))
        #expect(lines.contains("surge: mean 11500 bp, max 14000 bp"))
        #expect(lines.last == "median time to first offer 1.00 s, median time to accept 3.00 s")
    }

    @Test func aRunWithoutEscalationsReportsZerosNotAnError() async throws {
        let database = try await Self.database()
        let report = try await SimulationReport.load(run: TestServices.uniqueName("none"), on: database)
        await database.close()
        // ROLLUP's grand total is there even over no rows: an `all` row of zeros.
        #expect(
            report.assignments == [
                .init(serviceClass: "all", count: 0, p50: nil, p90: nil, p95: nil, p99: nil, max: nil, slaBreaches: 0)
            ])
        #expect(report.lines().contains("all          0    0.00    0.00    0.00    0.00    0.00  0"))
        #expect(report.offers == 0)
        #expect(report.meanSurgeBp == 10_000)
        #expect(report.medianTimeToAccept == nil)
        #expect(report.lines().last == "median time to first offer 0.00 s, median time to accept 0.00 s")
    }
}
