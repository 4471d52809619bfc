import ConciergePostgres
import ConciergeTesting
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Restarts the local PostgreSQL cluster (`pg_ctlcluster`, as root): run in the separate outage pass.
@Suite(
    .serialized,
    .enabled("PostgreSQL reachable and pg_ctlcluster available") {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/pg_ctlcluster"),
            ProcessInfo.processInfo.environment["CONCIERGE_TEST_PG_CLUSTER"] != "none"
        else { return false }
        return await PostgresTestDatabase.isAvailable()
    }
)
struct PostgresOutageTests {
    /// `VERSION NAME` of the cluster to restart (default `15 main`).
    static let cluster =
        (ProcessInfo.processInfo.environment["CONCIERGE_TEST_PG_CLUSTER"] ?? "15 main")
        .split(separator: " ").map(String.init)

    /// Runs `pg_ctlcluster VERSION NAME restart` and waits for it (not through Foundation's `Process`, which never
    /// sees the command end while the restarted postmaster holds an inherited descriptor; see `TestServices.run`).
    static func restartCluster() async throws {
        let status = await TestServices.run(["/usr/bin/pg_ctlcluster"] + cluster + ["restart"])
        #expect(status == 0, "pg_ctlcluster restart exited with status \(status)")
    }

    /// Idempotent transactions (ON CONFLICT DO NOTHING on a unique id) keep running while the server restarts:
    /// every call eventually succeeds, and each id is applied exactly once, even when a COMMIT's reply was lost and
    /// the body ran again.
    @Test func restartDuringTransactionsAppliesEachExactlyOnce() async throws {
        try await PostgresTestDatabase.withSchema { connection, schema in
            try await connection.executeScript("CREATE TABLE \(schema).applied (id bigint PRIMARY KEY, n int NOT NULL)")
            let restarts = Counter()
            let calls = Counter()
            async let restart: Void = {
                try await Task.sleep(for: .milliseconds(300))
                try await Self.restartCluster()
                restarts.increment()
            }()
            var succeeded = 0
            var afterRestart = 0
            let clock = ContinuousClock()
            let start = clock.now
            // Until 50 calls after the restart finished (bounded in count and time).
            while afterRestart < 50, succeeded < 100_000, clock.now - start < .seconds(120) {
                if restarts.current > 0 { afterRestart += 1 }
                let id = succeeded + 1
                try await connection.transaction { transaction in
                    calls.increment()
                    try transaction.execute(
                        "INSERT INTO \(schema).applied (id, n) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING", [id, 1]
                    )
                }
                succeeded += 1
            }
            try await restart
            #expect(afterRestart == 50)
            let row = try #require(
                try await connection.query("SELECT count(*) AS count, max(id) AS max_id FROM \(schema).applied").first
            )
            let count = try row.decode(Int.self, named: "count")
            let maxID = try row.decode(Int.self, named: "max_id")
            #expect(count == maxID)
            #expect(count == succeeded)
            #expect(connection.reconnectCount >= 1)
            #expect(connection.retryCount >= 1)
            #expect(calls.current >= succeeded)
        }
    }

    /// A connection that sits idle through a restart recovers on its next call.
    @Test func idleConnectionRecoversAfterRestart() async throws {
        try await PostgresTestDatabase.withConnection { connection in
            #expect(try await connection.query("SELECT 1 AS one").first!.decode(Int.self, named: "one") == 1)
            try await Self.restartCluster()
            let value = try await connection.transaction { transaction in
                try transaction.query("SELECT 2 AS two").first!.decode(Int.self, named: "two")
            }
            #expect(value == 2)
            #expect(connection.reconnectCount == 1)
        }
    }
}
