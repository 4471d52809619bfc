import ConciergePostgres
import Synchronization
import Testing

/// Statements sent together: `queries`, `enqueue` and the deferred `BEGIN`/`COMMIT` (libpq pipeline mode).
@Suite(.enabled("PostgreSQL reachable") { await PostgresTestDatabase.isAvailable() })
struct PostgresPipelineTests {
    @Test func queriesReturnTheirResultsInOrder() async throws {
        try await PostgresTestDatabase.withSchema { connection, schema in
            try await connection.executeScript("CREATE TABLE \(schema).t (id bigint PRIMARY KEY, name text NOT NULL)")
            let (inserted, count, echoed) = try await connection.transaction { transaction in
                let results = try transaction.queries([
                    PostgresStatement(
                        "INSERT INTO \(schema).t (id, name) VALUES ($1, $2), ($3, $4) RETURNING id",
                        [1, "one", 2, "two"]),
                    PostgresStatement("SELECT count(*) FROM \(schema).t"),
                    PostgresStatement("SELECT $1::text AS echoed", ["echo"]),
                ])
                #expect(results.count == 3)
                return (
                    try results[0].map { try $0.decode(Int.self, named: "id") },
                    try results[1].single().decode(Int.self, named: "count"),
                    try results[2].single().decode(String.self, named: "echoed")
                )
            }
            #expect(inserted.sorted() == [1, 2])
            #expect(count == 2)
            #expect(echoed == "echo")
        }
    }

    @Test func enqueuedStatementsRunWithTheCommitAndHandOverTheirResults() async throws {
        try await PostgresTestDatabase.withSchema { connection, schema in
            try await connection.executeScript(
                "CREATE TABLE \(schema).t (id bigserial PRIMARY KEY, name text NOT NULL)")
            let received = Received()
            let before = try await connection.transaction { transaction in
                for name in ["a", "b", "c"] {
                    transaction.enqueue("INSERT INTO \(schema).t (name) VALUES ($1) RETURNING name", [name]) { result in
                        let names = result.map { (try? $0.decode(String.self, named: "name")) ?? "?" }
                        received.names.withLock { $0.append(names) }
                    }
                }
                // Nothing was sent yet: no results have arrived.
                return received.names.withLock { $0.count }
            }
            #expect(before == 0)
            #expect(received.names.withLock { $0 } == [["a"], ["b"], ["c"]])
            let names = try await connection.query("SELECT name FROM \(schema).t ORDER BY id")
            #expect(try names.map { try $0.decode(String.self, named: "name") } == ["a", "b", "c"])
        }
    }

    @Test func enqueuedStatementsGoOutWithTheNextQuery() async throws {
        try await PostgresTestDatabase.withSchema { connection, schema in
            try await connection.executeScript("CREATE TABLE \(schema).t (id int PRIMARY KEY)")
            let seen = try await connection.transaction { transaction in
                transaction.enqueue("INSERT INTO \(schema).t (id) VALUES ($1)", [1])
                transaction.enqueue("INSERT INTO \(schema).t (id) VALUES ($1)", [2])
                return try transaction.query("SELECT count(*) FROM \(schema).t").single().decode(
                    Int.self, named: "count")
            }
            #expect(seen == 2)
        }
    }

    @Test func failingEnqueuedStatementFailsTheCommitAndRollsBack() async throws {
        try await PostgresTestDatabase.withSchema { connection, schema in
            try await connection.executeScript("CREATE TABLE \(schema).t (id int CONSTRAINT t_pk PRIMARY KEY)")
            let error = await #expect(throws: PostgresError.self) {
                try await connection.transaction { transaction in
                    try transaction.execute("INSERT INTO \(schema).t (id) VALUES ($1)", [1])
                    transaction.enqueue("INSERT INTO \(schema).t (id) VALUES ($1)", [2])
                    transaction.enqueue("INSERT INTO \(schema).t (id) VALUES ($1)", [1])
                }
            }
            #expect(error?.code == .uniqueViolation)
            #expect(error?.constraint == "t_pk")
            let count = try await connection.query("SELECT count(*) FROM \(schema).t").single().decode(
                Int.self, named: "count")
            #expect(count == 0)
            // The connection left the aborted transaction behind.
            try await connection.transaction { transaction in
                transaction.enqueue("INSERT INTO \(schema).t (id) VALUES ($1)", [1])
            }
            let after = try await connection.query("SELECT count(*) FROM \(schema).t").single().decode(
                Int.self, named: "count")
            #expect(after == 1)
        }
    }

    @Test func statementsAfterAFailureDoNotRun() async throws {
        try await PostgresTestDatabase.withSchema { connection, schema in
            // Sequences are not transactional: their values show which statements ran despite the rollback.
            try await connection.executeScript(
                "CREATE SEQUENCE \(schema).s; CREATE TABLE \(schema).t (id int PRIMARY KEY)")
            try await connection.query("INSERT INTO \(schema).t (id) VALUES (1)")
            let error = await #expect(throws: PostgresError.self) {
                try await connection.transaction { transaction in
                    _ = try transaction.queries([
                        PostgresStatement("SELECT nextval('\(schema).s')"),
                        PostgresStatement("INSERT INTO \(schema).t (id) VALUES ($1)", [1]),
                        PostgresStatement("SELECT nextval('\(schema).s')"),
                    ])
                }
            }
            #expect(error?.code == .uniqueViolation)
            let last = try await connection.query("SELECT last_value FROM \(schema).s").single().decode(
                Int.self, named: "last_value")
            #expect(last == 1)
        }
    }

    @Test func statementWhosePrepareWasSkippedIsPreparedAgain() async throws {
        try await PostgresTestDatabase.withConnection { connection in
            // The first statement fails to parse, so the server skips the second one's prepare: it must not be taken
            // for prepared afterwards.
            let sql = "SELECT $1::int + 41 AS pipeline_answer"
            let error = await #expect(throws: PostgresError.self) {
                try await connection.transaction { transaction in
                    _ = try transaction.queries([PostgresStatement("SELEC 1"), PostgresStatement(sql, [1])])
                }
            }
            #expect(error?.sqlState == "42601")
            let answer = try await connection.transaction { transaction in
                try transaction.query(sql, [1]).single().decode(Int.self, named: "pipeline_answer")
            }
            #expect(answer == 42)
        }
    }

    @Test func unencodableParameterFailsAndLeavesTheConnectionUsable() async throws {
        try await PostgresTestDatabase.withConnection { connection in
            let error = await #expect(throws: PostgresError.self) {
                try await connection.transaction { transaction in
                    _ = try transaction.queries([
                        PostgresStatement("SELECT $1::text AS first_of_two", ["fine"]),
                        PostgresStatement("SELECT $1::text AS second_of_two", ["nul \u{0} inside"]),
                    ])
                }
            }
            #expect(error?.code == .invalidParameter)
            let echoed = try await connection.transaction { transaction in
                let results = try transaction.queries([
                    PostgresStatement("SELECT $1::text AS first_of_two", ["a"]),
                    PostgresStatement("SELECT $1::text AS second_of_two", ["b"]),
                ])
                return try zip(results, ["first_of_two", "second_of_two"]).map {
                    try $0.single().decode(String.self, named: $1)
                }
            }
            #expect(echoed == ["a", "b"])
        }
    }

    /// The server writes a large result while the client is still sending large statements: a client blocked on
    /// writing would never read, and both sides would wait forever.
    @Test(.timeLimit(.minutes(1))) func largePipelineInBothDirectionsCompletes() async throws {
        try await PostgresTestDatabase.withSchema { connection, schema in
            try await connection.executeScript("CREATE TABLE \(schema).t (id int PRIMARY KEY, payload text NOT NULL)")
            let payload = String(repeating: "p", count: 256 * 1024)
            let (big, stored) = try await connection.transaction { transaction in
                var statements = [PostgresStatement("SELECT repeat('x', 16 * 1024 * 1024) AS big")]
                for id in 0..<64 {
                    statements.append(
                        PostgresStatement("INSERT INTO \(schema).t (id, payload) VALUES ($1, $2)", [id, payload]))
                }
                statements.append(PostgresStatement("SELECT sum(length(payload)) AS stored FROM \(schema).t"))
                let results = try transaction.queries(statements)
                return (
                    try results[0].single().decode(String.self, named: "big").utf8.count,
                    try results[results.count - 1].single().decode(Int.self, named: "stored")
                )
            }
            #expect(big == 16 * 1024 * 1024)
            #expect(stored == 64 * 256 * 1024)
        }
    }
}

/// Results handed to `enqueue` callbacks, read after the transaction.
private final class Received: Sendable {
    let names = Mutex<[[String]]>([])
}
