import ConciergeAdmin
import ConciergePostgres
import ConciergeRuntime
import ConciergeSchema
import ConciergeTesting
import Foundation
import Logging
import Testing

/// `dead-letters`' selection flags (no services needed).
@Suite struct DeadLetterSelectionFlagsTests {
    @Test func exactlyOneOfIdsReasonOrAll() throws {
        guard case .ids(let ids)? = DeadLetterSelection(ids: [3, 5], reason: nil, all: false) else {
            Issue.record("ids")
            return
        }
        #expect(ids == [3, 5])
        guard case .reason(let reason)? = DeadLetterSelection(ids: [], reason: "poison", all: false) else {
            Issue.record("reason")
            return
        }
        #expect(reason == "poison")
        guard case .pending? = DeadLetterSelection(ids: [], reason: nil, all: true) else {
            Issue.record("all")
            return
        }
        #expect(DeadLetterSelection(ids: [], reason: nil, all: false) == nil)
        #expect(DeadLetterSelection(ids: [1], reason: "poison", all: false) == nil)
        #expect(DeadLetterSelection(ids: [1], reason: nil, all: true) == nil)
        #expect(DeadLetterSelection(ids: [], reason: "poison", all: true) == nil)
    }
}

/// `dead-letters list|show|export` against the real archive table, each test with dead letters of its own reason.
@Suite(.enabled(if: TestServices.enabled))
struct DeadLetterReportsTests {
    static func database() async throws -> PostgresConnection {
        let logger = Logger(label: "test.dead-letter-reports")
        let database = try await PostgresConnection.connect(
            configuration: try PostgresConfiguration(url: TestServices.postgresURL), logger: logger)
        try await Migrator.fleet().migrate(database, logger: logger)
        return database
    }

    /// Archives `count` dead letters with `reason` (the first with a header and a body) and returns their ids.
    static func archive(_ count: Int, reason: String, on database: PostgresConnection) async throws -> [Int64] {
        var ids: [Int64] = []
        for index in 0..<count {
            let messageID: String? = index == 1 ? nil : "msg-\(reason)-\(index)"
            let worker: String? = index == 0 ? "classifier" : nil
            let rows = try await database.query(
                """
                INSERT INTO dead_letters (archive_key, message_id, queue, reason, detail, worker, exchange, routing_key,
                                          headers, body)
                VALUES ($1, $2, 'concierge.test-queue', $3, 'bad json', $4, 'concierge.events', 'inquiry.received',
                        $5::jsonb, convert_to($6, 'UTF8'))
                RETURNING id
                """,
                [
                    "\(reason)-\(index)", messageID, reason, worker,
                    index == 0 ? #"{"x-concierge-retries": {"i": 3}, "a-first": {"s": "yes"}}"# : "{}",
                    index == 0 ? "{\"text\": \"hello\"}" : "",
                ])
            ids.append(try #require(rows.first).decode(Int64.self, named: "id"))
        }
        return ids
    }

    @Test func theListCountsByReasonAndTabulatesTheNewest() async throws {
        let database = try await Self.database()
        let reason = TestServices.uniqueName("dl-list")
        let ids = try await Self.archive(3, reason: reason, on: database)
        let listing: DeadLetterListing
        do { listing = try await DeadLetterListing.load(reason: reason, on: database) } catch {
            await database.close()
            throw error
        }
        // Purged again: a pending dead letter of this test would be in other runs' `--all` selections.
        _ = try await DeadLetterArchive.purge(.ids(ids), on: database)
        await database.close()
        #expect(listing.letters.map(\.id) == ids)
        #expect(listing.counts.first { $0.reason == reason }?.count == 3)
        let lines = listing.lines(queue: "concierge.dead-letter", waiting: 4, limit: 2)
        let total = listing.counts.reduce(0) { $0 + $1.count }
        #expect(lines[0] == "archived, pending replay: \(total)")
        #expect(lines.contains("  \(reason): 3"))
        #expect(lines[listing.counts.count + 1] == "in concierge.dead-letter, not archived yet: 4")
        #expect(
            lines[listing.counts.count + 2]
                == "\nid        queue                      reason                 message id")
        let rows = Array(lines.suffix(2))
        #expect(rows.count == 2)
        func pad(_ text: String, _ width: Int) -> String { text.padding(toLength: width, withPad: " ", startingAt: 0) }
        #expect(rows[0] == "\(pad(String(ids[1]), 8))  concierge.test-queue       \(pad(reason, 21))  (none)")
        #expect(rows[1].hasSuffix("  msg-\(reason)-2"))
        let missing = DeadLetterListing(counts: [], letters: []).lines(queue: "q", waiting: nil, limit: 5)
        #expect(missing == ["archived, pending replay: 0", "in q, not archived yet: (queue missing)"])
    }

    @Test func showPrintsHeadersInOrderAndTheBodyOnlyWhenAsked() async throws {
        let database = try await Self.database()
        let reason = TestServices.uniqueName("dl-show")
        let ids = try await Self.archive(1, reason: reason, on: database)
        let letter = try #require(try await DeadLetterArchive.list(.ids(ids), on: database).first)
        _ = try await DeadLetterArchive.purge(.ids(ids), on: database)
        await database.close()
        let lines = DeadLetterReport(letter).lines
        #expect(
            Array(lines.prefix(6)) == [
                "id:             \(ids[0])", "message id:     msg-\(reason)-0", "queue:          concierge.test-queue",
                "reason:         \(reason)", "detail:         bad json", "worker:         classifier",
            ])
        #expect(lines[7] == "replayed:       0 time(s)")
        #expect(lines[8] == "headers:")
        #expect(lines[9] == "  a-first: string(\"yes\")")
        #expect(lines[10] == "  x-concierge-retries: int(3)")
        #expect(lines.last == "body:           17 bytes (--body to print)")
        let withBody = DeadLetterReport(letter, body: true).lines
        #expect(withBody.suffix(2) == ["body:           17 bytes", "{\"text\": \"hello\"}"])
    }

    @Test func theExportReadsEveryPageInIdOrder() async throws {
        let database = try await Self.database()
        let reason = TestServices.uniqueName("dl-export")
        let ids = try await Self.archive(5, reason: reason, on: database)
        let lines: [String]
        let letters: [DeadLetter]
        do {
            lines = try await DeadLetterExport.jsonLines(.reason(reason), pageSize: 2, on: database)
            letters = try await DeadLetterArchive.list(.ids(ids), on: database)
        } catch {
            await database.close()
            throw error
        }
        let some = try await DeadLetterExport.jsonLines(.ids([ids[4], ids[1]]), pageSize: 1, on: database)
        _ = try await DeadLetterArchive.purge(.ids(ids), on: database)
        await database.close()
        #expect(lines.count == 5)
        #expect(lines == letters.map(DeadLetterArchive.jsonLine))
        #expect(some == [letters[1], letters[4]].map(DeadLetterArchive.jsonLine))
    }
}
