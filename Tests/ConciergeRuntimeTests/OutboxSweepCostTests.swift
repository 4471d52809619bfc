import ConciergeAMQP
import ConciergePostgres
import ConciergeSchema
import ConciergeTesting
import Foundation
import Logging
import Testing

@testable import ConciergeRuntime

/// Fault test 7 of issue 14, its second half: a relay whose broker does not take its publishes (gone, or blocked in
/// an alarm) while the outbox backlog grows. A sweep must cost the same whatever the backlog: one claim of at most a
/// batch, found through the `outbox_claimable` index, and no further claims after a publish the broker did not answer.
/// Measured in rows (claimed, examined by the plan), not in time.
@Suite(.serialized, .enabled(if: TestServices.enabled))
struct OutboxSweepCostTests {
    /// `count` unsent rows nobody claimed (their writer died), for `producer`, to `exchange`.
    static func backlog(_ count: Int, producer: String, exchange: String, on database: PostgresConnection) async throws
    {
        try await database.query(
            """
            INSERT INTO outbox (message_id, exchange, routing_key, message_type, body, mandatory, producer, claimed_until)
            SELECT $1 || '-' || n, $2, 'k', 'passthrough.v1', '{}', false, $1, '-infinity' FROM generate_series(1, $3) AS n
            """,
            [producer, exchange, count]
        )
    }

    static func connect(_ label: String) async throws -> (PostgresConnection, AMQPPublisher) {
        let logger = Logger(label: "test.\(label)")
        let database = try await PostgresConnection.connect(
            configuration: try PostgresConfiguration(url: TestServices.postgresURL, applicationName: "test-\(label)"),
            logger: logger
        )
        try await Migrator.fleet().migrate(database, logger: logger)
        let publisher = try await AMQPPublisher.connect(
            configuration: try AMQPConfiguration(url: TestServices.amqpURL, connectionName: "test-\(label)"),
            logger: logger
        )
        return (database, publisher)
    }

    /// The broker refuses every publish (the rows name an exchange that does not exist: the channel is closed, as a
    /// dead or blocked broker fails a publish): one sweep claims one batch and stops, with 3,000 rows waiting.
    @Test func sweepAgainstABrokerThatTakesNothingClaimsOneBatch() async throws {
        let (database, publisher) = try await Self.connect("sweep-dead")
        let producer = TestServices.uniqueName("test-sweep")
        try await Self.backlog(3000, producer: producer, exchange: "test.missing.\(producer)", on: database)
        let relay = OutboxRelay(
            producer: producer, userID: nil, sweptProducers: [producer], queue: RelayQueue(), marks: SentMarks(),
            publisher: publisher, connection: database, metrics: WorkerMetrics(worker: producer),
            logger: Logger(label: "test.sweep-dead")
        )
        await relay.sweep(prune: false)
        let claimed = try await database.query(
            "SELECT count(*) FROM outbox WHERE producer = $1 AND sent_at IS NULL AND claimed_until > now()", [producer]
        ).first?.decode(Int.self, named: "count")
        #expect(claimed == relay.batchSize, "one sweep claimed \(claimed ?? -1) of 3000 rows")
        try await database.query("DELETE FROM outbox WHERE producer = $1", [producer])
        await publisher.close()
        await database.close()
    }

    /// The sweep's claim reads at most a batch of rows with a backlog of 2,000 and of 20,000, with the workers'
    /// generic plans and with custom plans alike: a LIMIT over the `outbox_claimable_by_producer` index, no sort, no
    /// sequential scan (EXPLAIN ANALYZE of the claim's SELECT, which reads the rows the claim locks). Before 0070 a
    /// custom plan sorted every unsent row of the producer.
    @Test(arguments: ["force_generic_plan", "force_custom_plan"])
    func sweepClaimReadsOneBatchWhateverTheBacklog(planCacheMode: String) async throws {
        let (setup, publisher) = try await Self.connect("sweep-plan")
        await publisher.close()
        var configuration = try PostgresConfiguration(url: TestServices.postgresURL, applicationName: "test-sweep-plan")
        configuration.sessionSettings["plan_cache_mode"] = planCacheMode
        let database = try await PostgresConnection.connect(
            configuration: configuration, logger: Logger(label: "test.sweep-plan"))
        let producer = TestServices.uniqueName("test-sweepplan")
        var inserted = 0
        for backlog in [2000, 20000] {
            try await Self.backlog(backlog - inserted, producer: producer, exchange: "x", on: setup)
            inserted = backlog
            let text = try await database.query(
                """
                EXPLAIN (ANALYZE, FORMAT JSON)
                SELECT id FROM outbox
                WHERE sent_at IS NULL AND producer = $2 AND claimed_until < now()
                ORDER BY claimed_until, id LIMIT $1
                """,
                [1000, producer]
            ).map { try $0.decode(String.self, named: "QUERY PLAN") }.joined()
            let document = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
            var nodes: [[String: Any]] = []
            func walk(_ node: [String: Any]) {
                nodes.append(node)
                for child in node["Plans"] as? [[String: Any]] ?? [] { walk(child) }
            }
            walk(try #require(document.first?["Plan"] as? [String: Any]))
            let types = nodes.compactMap { $0["Node Type"] as? String }
            #expect(types.first == "Limit", "plan: \(types)")
            #expect(
                !types.contains("Seq Scan") && !types.contains("Sort"),
                "\(planCacheMode), backlog \(backlog): plan \(types)")
            let scan = try #require(
                nodes.first { $0["Index Name"] as? String == "outbox_claimable_by_producer" },
                "\(planCacheMode), backlog \(backlog): plan \(types)"
            )
            let read = ((scan["Actual Rows"] as? Int) ?? 0) + ((scan["Rows Removed by Filter"] as? Int) ?? 0)
            print("[sweep] \(planCacheMode): the claim read \(read) rows with a backlog of \(backlog)")
            #expect(read == 1000)
        }
        try await setup.query("DELETE FROM outbox WHERE producer = $1", [producer])
        await database.close()
        await setup.close()
    }
}
