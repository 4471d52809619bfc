import ConciergePostgres
import Foundation
import Testing

/// The text formats, without a database.
@Suite struct PostgresTextFormatTests {
    @Test func encodesArrayLiteralsWithQuotingAndNulls() {
        let values: [String?] = ["a", "b c", "q\"uote", "back\\slash", "NULL", nil, ""]
        #expect(values.postgresText() == #"{"a","b c","q\"uote","back\\slash","NULL",NULL,""}"#)
        #expect([Int64]().postgresText() == "{}")
        #expect([Int64(1), -2].postgresText() == #"{"1","-2"}"#)
    }

    @Test func decodesArrayLiterals() throws {
        let decoded = try [String?](postgresText: #"{a,"b c",NULL,"NULL","q\"u\\o",  spaced  ,""}"#)
        #expect(decoded == ["a", "b c", nil, "NULL", "q\"u\\o", "spaced", ""])
        #expect(try [Int64](postgresText: "{1,-2,9223372036854775807}") == [1, -2, .max])
        #expect(try [Int64](postgresText: "[0:1]={5,6}") == [5, 6])
        #expect(try [String](postgresText: "{}") == [])
    }

    @Test(arguments: ["{a,NULL}", "{{1,2},{3,4}}", "{a", "a,b", #"{"a}"#, "{a,}"])
    func rejectsBadArraysAndNullIntoNonOptional(_ text: String) {
        let error = #expect(throws: PostgresError.self) { try [String](postgresText: text) }
        #expect(error?.code == .decodingFailed)
    }

    @Test func byteaIsHexNotSmallintArray() throws {
        let bytes: [UInt8] = [0, 1, 0x7f, 0x80, 0xff]
        #expect(bytes.postgresText() == #"\x00017f80ff"#)
        #expect(try [UInt8](postgresText: #"\x00017F80ff"#) == bytes)
        #expect(throws: PostgresError.self) { try [UInt8](postgresText: "\\x0") }
    }

    @Test func doublesRoundTripIncludingSpecialValues() throws {
        for value in [0.1, -1.5e-300, 1e300, 123456789.125, Double.greatestFiniteMagnitude] {
            #expect(try Double(postgresText: value.postgresText()!) == value)
        }
        #expect(Double.infinity.postgresText() == "Infinity")
        #expect((-Double.infinity).postgresText() == "-Infinity")
        #expect(try Double(postgresText: "NaN").isNaN)
    }

    @Test func formatsDatesInUTCWithMicroseconds() {
        let date = Date(timeIntervalSince1970: 1_700_000_000.123456)
        #expect(date.postgresText() == "2023-11-14 22:13:20.123456+00")
        #expect(Date(timeIntervalSince1970: -1.5).postgresText() == "1969-12-31 23:59:58.500000+00")
        #expect(Date.distantFuture.postgresText() == "infinity")
    }

    @Test(arguments: [
        ("2023-11-14 22:13:20.123456+00", 1_700_000_000.123456),
        ("2023-11-15 03:43:20.123456+05:30", 1_700_000_000.123456),
        ("2023-11-14 18:43:20.5-03:30", 1_699_999_999.0 + 1.5),
        ("2023-11-14T22:13:20Z", 1_700_000_000),
        ("2023-11-14 22:13:20", 1_700_000_000),
        ("1900-01-01 00:19:32+00:19:32", -2_208_988_800),
        ("2000-02-29", 951_782_400),
        ("2023-11-14 22:13:20.1234564+00", 1_700_000_000.123456),
    ])
    func parsesTimestamptzInAnyOffset(_ text: String, _ seconds: Double) throws {
        let date = try Date(postgresText: text)
        #expect(abs(date.timeIntervalSince1970 - seconds) < 0.000_000_5)
    }

    @Test func parsesBCAndInfinity() throws {
        let bc = try Date(postgresText: "0044-03-15 12:00:00+00 BC")
        #expect(bc.postgresText() == "0044-03-15 12:00:00.000000+00 BC")
        #expect(try Date(postgresText: "infinity") == .distantFuture)
        #expect(try Date(postgresText: "-infinity") == .distantPast)
        #expect(throws: PostgresError.self) { try Date(postgresText: "yesterday") }
    }

    @Test func booleansAndIntegers() throws {
        #expect(true.postgresText() == "t")
        #expect(try Bool(postgresText: "f") == false)
        #expect(throws: PostgresError.self) { try Bool(postgresText: "yes") }
        #expect(throws: PostgresError.self) { try Int32(postgresText: "2147483648") }
        #expect(Optional<Int>.none.postgresText() == nil)
    }

    @Test func errorDescriptionIsSafeAndDebugDescriptionHasDetails() {
        let error = PostgresError(
            code: .uniqueViolation, sqlState: "23505", operation: "execute", constraint: "items_pkey",
            serverMessage: "duplicate key value violates unique constraint",
            detail: "Key (id)=(secret-42) already exists."
        )
        #expect(String(describing: error).contains("uniqueViolation"))
        #expect(String(describing: error).contains("items_pkey"))
        #expect(!String(describing: error).contains("secret-42"))
        #expect(String(reflecting: error).contains("secret-42"))
        #expect(!error.isRetryableTransaction)
        #expect(PostgresError(code: .queryFailed, sqlState: "40P01", operation: "x").isRetryableTransaction)
        #expect(PostgresError(code: .queryFailed, sqlState: "08006", operation: "x").isConnectionLoss)
        #expect(PostgresError(code: .queryFailed, sqlState: "57P01", operation: "x").isConnectionLoss)
        #expect(!PostgresError(code: .queryFailed, sqlState: "57014", operation: "x").isConnectionLoss)
        // A reconnect that gave up is still the server's absence, not the work's fault.
        #expect(PostgresError(code: .connectionFailed, operation: "connect").isConnectionLoss)
        #expect(!PostgresError(code: .connectionFailed, operation: "connect").isInvalidData)
    }

    @Test(arguments: ["22021", "22P05", "22001", "22003", "22P02"])
    func dataExceptionsAreInvalidData(sqlState: String) {
        let error = PostgresError(code: .queryFailed, sqlState: sqlState, operation: "execute")
        #expect(error.isInvalidData)
        #expect(!error.isConnectionLoss)
        #expect(!error.isRetryableTransaction)
    }

    @Test func unsendableParameterIsInvalidDataAndOtherFailuresAreNot() {
        #expect(PostgresError(code: .invalidParameter, operation: "encode").isInvalidData)
        #expect(!PostgresError(code: .queryFailed, sqlState: "23505", operation: "execute").isInvalidData)
        #expect(!PostgresError(code: .queryFailed, sqlState: "57014", operation: "execute").isInvalidData)
        #expect(!PostgresError(code: .connectionLost, operation: "execute").isInvalidData)
    }
}
