import ConciergePostgres
import Testing

@Suite(.enabled("PostgreSQL reachable") { await PostgresTestDatabase.isAvailable() })
struct PostgresTransactionTests {
    @Test func committedTransactionIsVisible() async throws {
        try await PostgresTestDatabase.withSchema { connection, schema in
            try await connection.executeScript("CREATE TABLE \(schema).t (id bigint PRIMARY KEY, name text NOT NULL)")
            let count = try await connection.transaction { transaction in
                try transaction.execute("INSERT INTO \(schema).t (id, name) VALUES ($1, $2)", [1, "one"])
                try transaction.execute("INSERT INTO \(schema).t (id, name) VALUES ($1, $2)", [2, "two"])
                return try transaction.query("SELECT count(*) FROM \(schema).t").first!.decode(Int.self, named: "count")
            }
            #expect(count == 2)
            let names = try await connection.query("SELECT name FROM \(schema).t ORDER BY id")
            #expect(try names.map { try $0.decode(String.self, named: "name") } == ["one", "two"])
            #expect(connection.retryCount == 0)
        }
    }

    @Test func thrownSwiftErrorRollsBack() async throws {
        try await PostgresTestDatabase.withSchema { connection, schema in
            try await connection.executeScript("CREATE TABLE \(schema).t (id bigint PRIMARY KEY)")
            let calls = Counter()
            await #expect(throws: ExpectedTestError.self) {
                try await connection.transaction { transaction in
                    calls.increment()
                    try transaction.execute("INSERT INTO \(schema).t (id) VALUES ($1)", [1])
                    throw ExpectedTestError()
                }
            }
            #expect(calls.current == 1)
            let count = try await connection.query("SELECT count(*) FROM \(schema).t").first!.decode(
                Int.self, named: "count")
            #expect(count == 0)
            // The connection is clean afterwards.
            try await connection.transaction { transaction in
                try transaction.execute("INSERT INTO \(schema).t (id) VALUES ($1)", [1])
            }
        }
    }

    @Test func uniqueViolationMapsToCodeWithConstraintName() async throws {
        try await PostgresTestDatabase.withSchema { connection, schema in
            try await connection.executeScript(
                "CREATE TABLE \(schema).t (id text, CONSTRAINT t_id_unique UNIQUE (id))"
            )
            try await connection.query("INSERT INTO \(schema).t (id) VALUES ($1)", ["secret-key-value"])
            let error = await #expect(throws: PostgresError.self) {
                try await connection.transaction { transaction in
                    try transaction.execute("INSERT INTO \(schema).t (id) VALUES ($1)", ["secret-key-value"])
                }
            }
            #expect(error?.code == .uniqueViolation)
            #expect(error?.sqlState == "23505")
            #expect(error?.constraint == "t_id_unique")
            #expect(error?.operation == "execute")
            #expect(error.map { !String(describing: $0).contains("secret-key-value") } ?? false)
            #expect(error.map { String(reflecting: $0).contains("secret-key-value") } ?? false)
            #expect(connection.retryCount == 0)
        }
    }

    @Test func swallowedStatementErrorStillFailsTheTransaction() async throws {
        try await PostgresTestDatabase.withSchema { connection, schema in
            try await connection.executeScript("CREATE TABLE \(schema).t (id int PRIMARY KEY)")
            let error = await #expect(throws: PostgresError.self) {
                try await connection.transaction { transaction in
                    try transaction.execute("INSERT INTO \(schema).t (id) VALUES (1)")
                    _ = try? transaction.execute("INSERT INTO \(schema).t (id) VALUES (1)")
                }
            }
            #expect(error?.code == .uniqueViolation)
            let count = try await connection.query("SELECT count(*) FROM \(schema).t").first!.decode(
                Int.self, named: "count")
            #expect(count == 0)
        }
    }

    @Test func savepointRecoveryCommits() async throws {
        try await PostgresTestDatabase.withSchema { connection, schema in
            try await connection.executeScript("CREATE TABLE \(schema).t (id int PRIMARY KEY)")
            try await connection.transaction { transaction in
                try transaction.execute("INSERT INTO \(schema).t (id) VALUES (1)")
                try transaction.executeScript("SAVEPOINT s")
                _ = try? transaction.execute("INSERT INTO \(schema).t (id) VALUES (1)")
                try transaction.executeScript("ROLLBACK TO SAVEPOINT s")
                try transaction.execute("INSERT INTO \(schema).t (id) VALUES (2)")
            }
            let count = try await connection.query("SELECT count(*) FROM \(schema).t").first!.decode(
                Int.self, named: "count")
            #expect(count == 2)
        }
    }

    @Test func serializationFailureIsRetriedUpToMaxAttempts() async throws {
        try await PostgresTestDatabase.withConnection { connection in
            let calls = Counter()
            let error = await #expect(throws: PostgresError.self) {
                try await connection.transaction(maxAttempts: 3) { transaction in
                    calls.increment()
                    try transaction.executeScript(
                        "DO $$ BEGIN RAISE EXCEPTION 'forced' USING ERRCODE = 'serialization_failure'; END $$"
                    )
                }
            }
            #expect(error?.code == .serializationFailure)
            #expect(error?.isRetryableTransaction == true)
            #expect(calls.current == 3)
            #expect(connection.retryCount == 2)
        }
    }

    /// Work registered with `afterCommit` runs once, for the attempt that committed: not for the attempts that were
    /// retried after a serialization failure, and not at all when the transaction rolls back.
    @Test func afterCommitRunsOnceForTheCommittedAttemptOnly() async throws {
        try await PostgresTestDatabase.withConnection { connection in
            let calls = Counter()
            let committed = Counter()
            let value = try await connection.transaction(maxAttempts: 3) { transaction in
                let attempt = calls.increment()
                transaction.afterCommit { committed.increment() }
                let answer = try transaction.query("SELECT 41 + $1::int AS answer", [attempt]).first!.decode(
                    Int.self, named: "answer")
                if attempt < 3 {
                    try transaction.executeScript(
                        "DO $$ BEGIN RAISE EXCEPTION 'forced' USING ERRCODE = 'serialization_failure'; END $$"
                    )
                }
                return answer
            }
            #expect(value == 44)
            #expect(calls.current == 3)
            #expect(committed.current == 1)

            let rolledBack = Counter()
            await #expect(throws: ExpectedTestError.self) {
                try await connection.transaction { transaction in
                    transaction.afterCommit { rolledBack.increment() }
                    try transaction.execute("SELECT 1")
                    throw ExpectedTestError()
                }
            }
            let exhausted = Counter()
            await #expect(throws: PostgresError.self) {
                try await connection.transaction(maxAttempts: 2) { transaction in
                    transaction.afterCommit { exhausted.increment() }
                    try transaction.executeScript(
                        "DO $$ BEGIN RAISE EXCEPTION 'forced' USING ERRCODE = 'serialization_failure'; END $$"
                    )
                }
            }
            #expect(rolledBack.current == 0)
            #expect(exhausted.current == 0)
        }
    }

    @Test func wrappedRetryableErrorIsStillRetried() async throws {
        struct Wrapped: Error { var underlying: any Error }
        try await PostgresTestDatabase.withConnection { connection in
            let calls = Counter()
            let value = try await connection.transaction { transaction in
                if calls.increment() == 1 {
                    do {
                        try transaction.executeScript(
                            "DO $$ BEGIN RAISE EXCEPTION 'forced' USING ERRCODE = 'deadlock_detected'; END $$"
                        )
                    } catch {
                        throw Wrapped(underlying: error)
                    }
                }
                return try transaction.query("SELECT 42 AS answer").first!.decode(Int.self, named: "answer")
            }
            #expect(value == 42)
            #expect(calls.current == 2)
            #expect(connection.retryCount == 1)
        }
    }

    @Test func concurrentCallersShareOneConnectionSafely() async throws {
        try await PostgresTestDatabase.withSchema { connection, schema in
            try await connection.executeScript("CREATE TABLE \(schema).t (id int PRIMARY KEY)")
            try await withThrowingTaskGroup(of: Void.self) { group in
                for id in 0..<50 {
                    group.addTask {
                        _ = try await connection.transaction { transaction in
                            try transaction.execute("INSERT INTO \(schema).t (id) VALUES ($1)", [id])
                        }
                    }
                }
                try await group.waitForAll()
            }
            let count = try await connection.query("SELECT count(*) FROM \(schema).t").first!.decode(
                Int.self, named: "count")
            #expect(count == 50)
        }
    }

    @Test func closedConnectionRefusesWork() async throws {
        let connection = try await PostgresTestDatabase.connect()
        await connection.close()
        await connection.close()
        let error = await #expect(throws: PostgresError.self) { try await connection.query("SELECT 1") }
        #expect(error?.code == .closed)
        let transactionError = await #expect(throws: PostgresError.self) {
            try await connection.transaction { transaction in try transaction.execute("SELECT 1") }
        }
        #expect(transactionError?.code == .closed)
    }
}
