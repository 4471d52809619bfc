import ConciergePostgres
import Foundation
import Testing

@Suite(.enabled("PostgreSQL reachable") { await PostgresTestDatabase.isAvailable() })
struct PostgresRoundTripTests {
    @Test func everyScalarTypeRoundTrips() async throws {
        try await PostgresTestDatabase.withConnection { connection in
            let uuid = UUID()
            let date = Date(timeIntervalSince1970: 1_700_000_000.123456)
            let bytes: [UInt8] = [0, 1, 2, 0x7f, 0x80, 0xfe, 0xff]
            let result = try await connection.query(
                """
                SELECT $1::text AS s, $2::bigint AS i, $3::bigint AS i64, $4::int AS i32, $5::smallint AS i16,
                       $6::bool AS b, $7::float8 AS d, $8::uuid AS u, $9::timestamptz AS t, $10::bytea AS y,
                       $11::text AS n, $12::float8 AS inf
                """,
                [
                    "héllo, \"wörld\" \\ 🌍", Int.min, Int64.max, Int32.min, Int16.max, true, 0.1, uuid, date, bytes,
                    String?.none, Double.infinity,
                ]
            )
            let row = try #require(result.first)
            #expect(result.count == 1)
            #expect(row.columnNames.first == "s")
            #expect(try row.decode(String.self, named: "s") == "héllo, \"wörld\" \\ 🌍")
            #expect(try row.decode(Int.self, named: "i") == Int.min)
            #expect(try row.decode(Int64.self, named: "i64") == Int64.max)
            #expect(try row.decode(Int32.self, named: "i32") == Int32.min)
            #expect(try row.decode(Int.self, named: "i16") == Int(Int16.max))
            #expect(try row.decode(Bool.self, named: "b") == true)
            #expect(try row.decode(Double.self, named: "d") == 0.1)
            #expect(try row.decode(UUID.self, named: "u") == uuid)
            #expect(try row.decode(Date.self, named: "t") == date)
            #expect(try row.decode([UInt8].self, named: "y") == bytes)
            #expect(try row.decode(String?.self, named: "n") == nil)
            #expect(row.isNull(at: 10))
            #expect(!row.isNull(at: 0))
            #expect(try row.decode(Double.self, named: "inf") == .infinity)

            let nullError = #expect(throws: PostgresError.self) { try row.decode(String.self, named: "n") }
            #expect(nullError?.code == .decodingFailed)
            let typeError = #expect(throws: PostgresError.self) { try row.decode(Int.self, named: "s") }
            #expect(typeError?.code == .decodingFailed)
            #expect(typeError.map { !String(describing: $0).contains("héllo") } ?? false)
            let missing = #expect(throws: PostgresError.self) { try row.decode(Int.self, named: "missing") }
            #expect(missing?.code == .decodingFailed)
            #expect(
                missing?.context
                    == "no column named missing; the columns are s, i, i64, i32, i16, b, d, u, t, y, n, inf")
            #expect(throws: PostgresError.self) { try row.decode(Int.self, at: 99) }
        }
    }

    @Test(arguments: [
        "", "NULL", " padded ", "comma, and {braces}", "quote \" and backslash \\", "日本語テキスト", "emoji 👩‍💻",
        "new\nline\ttab",
    ])
    func textRoundTrips(_ text: String) async throws {
        try await PostgresTestDatabase.withConnection { connection in
            let row = try #require(
                try await connection.query("SELECT $1::text AS text, $2::text[] AS texts", [text, [text, nil]]).first)
            #expect(try row.decode(String.self, named: "text") == text)
            #expect(try row.decode([String?].self, named: "texts") == [text, nil])
        }
    }

    @Test func arraysRoundTripThroughUnnestIntoATable() async throws {
        try await PostgresTestDatabase.withSchema { connection, schema in
            try await connection.executeScript(
                "CREATE TABLE \(schema).items (id bigint PRIMARY KEY, body text, at timestamptz, raw bytea)"
            )
            let ids: [Int64] = [1, 2, 3, 4, Int64.max]
            let bodies: [String?] = ["plain", "a,b", "q\"uote\\", nil, "{NULL}"]
            let dates: [Date] = (0..<5).map { Date(timeIntervalSince1970: 1_600_000_000 + Double($0) + 0.000_001) }
            let raws: [[UInt8]] = [[1], [], [0xff, 0], [0x5c], [0x22, 0x2c]]
            let inserted = try await connection.transaction { transaction in
                try transaction.execute(
                    """
                    INSERT INTO \(schema).items (id, body, at, raw)
                    SELECT * FROM unnest($1::bigint[], $2::text[], $3::timestamptz[], $4::bytea[])
                    """,
                    [ids, bodies, dates, raws]
                )
            }
            #expect(inserted == 5)
            let result = try await connection.query(
                """
                SELECT array_agg(id ORDER BY id) AS ids, array_agg(body ORDER BY id) AS bodies,
                       array_agg(at ORDER BY id) AS dates
                FROM \(schema).items
                """
            )
            let row = try #require(result.first)
            #expect(try row.decode([Int64].self, named: "ids") == ids)
            #expect(try row.decode([String?].self, named: "bodies") == bodies)
            #expect(try row.decode([Date].self, named: "dates") == dates)
            let rawRows = try await connection.query("SELECT raw FROM \(schema).items ORDER BY id")
            #expect(try rawRows.map { try $0.decode([UInt8].self, named: "raw") } == raws)
        }
    }

    @Test func timestampsDecodeFromAnySessionOffset() async throws {
        try await PostgresTestDatabase.withConnection { connection in
            let date = Date(timeIntervalSince1970: 1_700_000_000.654321)
            for zone in ["Asia/Kolkata", "America/St_Johns", "Pacific/Chatham", "UTC"] {
                let (text, decoded) = try await connection.transaction { transaction in
                    try transaction.execute("SELECT set_config('TimeZone', $1, true)", [zone])
                    let row = try #require(
                        try transaction.query("SELECT $1::timestamptz::text AS text, $1::timestamptz AS at", [date])
                            .first)
                    return (try row.decode(String.self, named: "text"), try row.decode(Date.self, named: "at"))
                }
                #expect(decoded == date, "\(zone): \(text)")
            }
            // A historical offset with seconds (local mean time).
            let lmt = try await connection.transaction { transaction in
                try transaction.execute("SELECT set_config('TimeZone', 'Europe/Amsterdam', true)")
                return try transaction.query("SELECT '1900-01-01 00:00:00+00'::timestamptz AS at").first!.decode(
                    Date.self, named: "at")
            }
            #expect(lmt == Date(timeIntervalSince1970: -2_208_988_800))
        }
    }

    @Test func textWithNULIsRejectedBeforeSending() async throws {
        try await PostgresTestDatabase.withConnection { connection in
            let error = await #expect(throws: PostgresError.self) {
                try await connection.query("SELECT $1::text", ["a\u{0}b"])
            }
            #expect(error?.code == .invalidParameter)
            // The connection is still usable.
            let one = try await connection.query("SELECT 1 AS one")
            #expect(try one.first!.decode(Int.self, named: "one") == 1)
        }
    }

    @Test func affectedRowsAndEmptyResults() async throws {
        try await PostgresTestDatabase.withSchema { connection, schema in
            try await connection.executeScript(
                "CREATE TABLE \(schema).t (id int); INSERT INTO \(schema).t VALUES (1), (2), (3)")
            let updated = try await connection.query("UPDATE \(schema).t SET id = id + 10 WHERE id >= $1", [2])
            #expect(updated.affectedRows == 2)
            #expect(updated.isEmpty)
            let none = try await connection.query("SELECT id FROM \(schema).t WHERE id < 0")
            #expect(none.isEmpty)
            #expect(none.columnNames == ["id"])
        }
    }

    @Test func sessionSettingsReachTheServer() async throws {
        var configuration = try PostgresConfiguration(url: PostgresTestDatabase.url)
        configuration.sessionSettings = [
            "plan_cache_mode": "force_custom_plan", "concierge.note": "with space \\ slash",
        ]
        let connection = try await PostgresConnection.connect(
            configuration: configuration, logger: PostgresTestDatabase.logger)
        // A custom setting, to see that spaces and backslashes survive libpq's `options` escaping.
        let row = try #require(
            try await connection.query(
                """
                SELECT current_setting('plan_cache_mode') AS plan_cache_mode, current_setting('concierge.note') AS note,
                       current_setting('TimeZone') AS time_zone
                """
            ).first
        )
        #expect(try row.decode(String.self, named: "plan_cache_mode") == "force_custom_plan")
        #expect(try row.decode(String.self, named: "note") == "with space \\ slash")
        #expect(try row.decode(String.self, named: "time_zone") == "UTC")
        await connection.close()
    }
}
