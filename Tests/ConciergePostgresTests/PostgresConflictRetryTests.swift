import ConciergePostgres
import Testing

/// Real conflicts between two connections: the losing transaction is retried and both calls succeed.
@Suite(.enabled("PostgreSQL reachable") { await PostgresTestDatabase.isAvailable() })
struct PostgresConflictRetryTests {
    /// Write skew under SERIALIZABLE: each doctor goes off call only if both are on call. Both read before either
    /// writes (a rendezvous on the first attempt), so one transaction fails with 40001 and is retried; a serial
    /// outcome leaves exactly one doctor on call.
    @Test func serializationFailureIsRetriedAndBothSucceed() async throws {
        try await PostgresTestDatabase.withSchema { first, schema in
            try await first.executeScript(
                """
                CREATE TABLE \(schema).doctors (id int PRIMARY KEY, on_call bool NOT NULL);
                INSERT INTO \(schema).doctors VALUES (1, true), (2, true);
                """
            )
            let second = try await PostgresTestDatabase.connect()
            let rendezvous = Rendezvous()
            let attemptsA = Counter()
            let attemptsB = Counter()
            async let a = first.transaction(isolation: .serializable) { transaction in
                try Self.goOffCall(transaction, schema: schema, doctor: 1, attempt: attemptsA.increment()) {
                    try rendezvous.arriveFirst()
                }
            }
            async let b = second.transaction(isolation: .serializable) { transaction in
                try Self.goOffCall(transaction, schema: schema, doctor: 2, attempt: attemptsB.increment()) {
                    try rendezvous.arriveSecond()
                }
            }
            let (wentA, wentB) = try await (a, b)
            let retries = first.retryCount + second.retryCount
            await second.close()

            #expect(wentA != wentB)
            let onCall = try await first.query("SELECT count(*) FROM \(schema).doctors WHERE on_call")
            #expect(try onCall.first!.decode(Int.self, named: "count") == 1)
            #expect(retries >= 1)
            #expect(attemptsA.current + attemptsB.current >= 3)
        }
    }

    private static func goOffCall(
        _ transaction: PostgresTransaction, schema: String, doctor: Int, attempt: Int, meet: () throws -> Void
    ) throws -> Bool {
        let onCall = try transaction.query("SELECT count(*) FROM \(schema).doctors WHERE on_call")
            .first!.decode(Int.self, named: "count")
        if attempt == 1 { try meet() }
        guard onCall >= 2 else { return false }
        try transaction.execute("UPDATE \(schema).doctors SET on_call = false WHERE id = $1", [doctor])
        return true
    }

    /// Two transactions lock two rows in opposite order after a rendezvous: the server detects the deadlock
    /// (deadlock_timeout, 1 s by default), aborts one with 40P01, it is retried, and both increments land.
    @Test func deadlockVictimIsRetriedAndBothSucceed() async throws {
        try await PostgresTestDatabase.withSchema { first, schema in
            try await first.executeScript(
                """
                CREATE TABLE \(schema).accounts (id int PRIMARY KEY, n int NOT NULL);
                INSERT INTO \(schema).accounts VALUES (1, 0), (2, 0);
                """
            )
            let second = try await PostgresTestDatabase.connect()
            let rendezvous = Rendezvous()
            let attemptsA = Counter()
            let attemptsB = Counter()
            let update = "UPDATE \(schema).accounts SET n = n + 1 WHERE id = $1"
            async let a: Void = first.transaction { transaction in
                try transaction.execute(update, [1])
                if attemptsA.increment() == 1 { try rendezvous.arriveFirst() }
                try transaction.execute(update, [2])
            }
            async let b: Void = second.transaction { transaction in
                try transaction.execute(update, [2])
                if attemptsB.increment() == 1 { try rendezvous.arriveSecond() }
                try transaction.execute(update, [1])
            }
            _ = try await (a, b)
            let retries = first.retryCount + second.retryCount
            await second.close()

            let rows = try await first.query("SELECT n FROM \(schema).accounts ORDER BY id")
            #expect(try rows.map { try $0.decode(Int.self, named: "n") } == [2, 2])
            #expect(retries >= 1)
            #expect(attemptsA.current + attemptsB.current >= 3)
        }
    }
}
