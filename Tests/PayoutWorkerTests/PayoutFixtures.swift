import ConciergeCore
import ConciergePostgres
import ConciergeRuntime
import ConciergeSchema
import ConciergeTesting
import Foundation
import Logging
import PayoutWorker

/// A fresh database per test (created, migrated, dropped), so a tampered ledger or a closed period never leaks into
/// another test or another suite; `concierge` has CREATEDB.
struct PayoutTestDatabase {
    let name: String
    let configuration: PostgresConfiguration
    let connection: PostgresConnection
    let logger = Logger(label: "test.payout")

    static func make() async throws -> PayoutTestDatabase {
        let logger = Logger(label: "test.payout")
        let base = try PostgresConfiguration(url: TestServices.postgresURL)
        let name = "payout_test_\(String(UInt64.random(in: 0..<UInt64.max), radix: 36))"
        let admin = try await PostgresConnection.connect(configuration: base, logger: logger)
        // The name is generated above from [a-z0-9_]: safe to put in DDL, which takes no parameters.
        try await admin.executeScript("CREATE DATABASE \(name)")
        await admin.close()
        var configuration = base
        configuration.database = name
        let connection = try await PostgresConnection.connect(configuration: configuration, logger: logger)
        try await Migrator.fleet().migrate(connection, logger: logger)
        return PayoutTestDatabase(name: name, configuration: configuration, connection: connection)
    }

    /// Runs `body` with a fresh database and drops it afterwards, whether `body` succeeded or not.
    static func with<T>(_ body: (PayoutTestDatabase) async throws -> T) async throws -> T {
        let db = try await self.make()
        do {
            let result = try await body(db)
            await db.drop()
            return result
        } catch {
            await db.drop()
            throw error
        }
    }

    func drop() async {
        await self.connection.close()
        guard
            let admin = try? await PostgresConnection.connect(
                configuration: try PostgresConfiguration(url: TestServices.postgresURL), logger: self.logger
            )
        else { return }
        try? await admin.executeScript("DROP DATABASE IF EXISTS \(self.name) WITH (FORCE)")
        await admin.close()
    }

    /// Applies inputs through the handler in one transaction, as the runtime would (after its inbox check), after
    /// writing the escalation worker's records of each resolution (`seedEscalationRecords`) unless `seeding` is false.
    func apply(_ inputs: [PayoutInput], handler: PayoutHandler, seeding: Bool = true) async throws {
        if seeding { try await self.seedEscalationRecords(for: inputs) }
        let batch = inputs.map { input in
            Accepted(
                message: InboundMessage(messageID: input.messageID, routingKey: FleetNames.payoutKey, body: []),
                input: input)
        }
        do {
            _ = try await self.connection.transaction { transaction in
                try handler.apply(batch, in: transaction)
            }
        } catch let error as PostgresError {
            // The description leaves out the server's message (it may quote data); a test wants it.
            print("payout test: \(error.debugDescription)")
            throw error
        }
    }

    func reconcile() async throws -> ReconciliationReport {
        try await self.connection.transaction(isolation: .repeatableRead) { try PayoutReconciler().reconcile(in: $0) }
    }

    /// The value of a one-column query's first row (`SELECT count(*) ...`, `SELECT total_minor ...`). A query of more
    /// columns is refused, so the value read cannot be another column than the one the SELECT names.
    func int(_ sql: String, _ parameters: [any PostgresEncodable] = []) async throws -> Int64 {
        let row = try await self.connection.query(sql, parameters).first!
        guard row.columnNames.count == 1 else {
            throw TestFailure("int(_:) reads one column; the query returns \(row.columnNames)")
        }
        return try row.decode(Int64.self, at: 0)
    }

    /// Earnings of an assignment by kind: (base, vip, surge, csat, clawback, amount).
    func earnings(_ assignment: String) async throws -> [String: [Int64]] {
        var result: [String: [Int64]] = [:]
        for row in try await self.connection.query(
            """
            SELECT kind, base_minor, vip_minor, surge_minor, csat_minor, clawback_minor, amount_minor
            FROM payout_earnings WHERE assignment_id = $1
            """,
            [assignment]
        ) {
            result[try row.decode(String.self, named: "kind")] = try [
                "base_minor", "vip_minor", "surge_minor", "csat_minor", "clawback_minor", "amount_minor",
            ].map { try row.decode(Int64.self, named: $0) }
        }
        return result
    }
}

extension PayoutInput {
    var messageID: String {
        switch self {
        case .resolved(let event, _): event.messageID
        case .feedback(let event, _): event.messageID
        case .reopened(let event, _): event.messageID
        }
    }
}

/// Builders for the three events, with sensible defaults (and valid times: a test's own typo traps here).
enum Events {
    static func resolved(
        _ id: String, agent: String = "agent-1", conversation: String? = nil, outcome: String = "resolved",
        complexity: String = "complex", vip: Bool = false, surge: Int = 10000, market: String = "EU",
        at time: String = "2025-03-10T12:00:00Z", messageID: String? = nil
    ) -> PayoutInput {
        try! .parse(
            ConversationResolvedV1(
                messageID: messageID ?? "\(id).resolved", conversationID: conversation ?? "\(id)-conv",
                assignmentID: id,
                offerID: "\(id)-offer", agentID: agent, customerID: "cust-\(id)", outcome: outcome,
                complexity: complexity,
                vip: vip, surgeMultiplierBasisPoints: surge, market: market, resolvedAt: time
            )
        )
    }

    static func feedback(
        _ id: String, agent: String = "agent-1", conversation: String? = nil, csat: Int,
        at time: String = "2025-03-10T13:00:00Z",
        messageID: String? = nil
    ) -> PayoutInput {
        try! .parse(
            FeedbackV1(
                messageID: messageID ?? "\(id).feedback.\(csat)", conversationID: conversation ?? "\(id)-conv",
                agentID: agent,
                customerID: "cust-\(id)", csat: csat, submittedAt: time
            )
        )
    }

    static func reopened(
        _ id: String, agent: String = "agent-1", conversation: String? = nil, at time: String = "2025-03-11T09:00:00Z",
        messageID: String? = nil
    ) -> PayoutInput {
        try! .parse(
            ConversationReopenedV1(
                messageID: messageID ?? "\(id).reopened", conversationID: conversation ?? "\(id)-conv",
                assignmentID: id,
                agentID: agent, reopenedAt: time
            )
        )
    }
}

/// The rate cards the tests price with: EU in EUR (full clawback), UK in GBP (half clawback, 24 h window), and a
/// second EU version from June 2025.
enum TestRateCards {
    static let yaml = """
        versions:
          - version: "t1"
            effective_from: "2020-01-01T00:00:00Z"
            markets:
              EU: { currency: EUR, base_fee: { routine: 250, complex: 500, sensitive: 800 }, vip_premium: 150, csat_bonus: 100, csat_min_score: 5, clawback_bp: 10000, reopen_window_hours: 72 }
              UK: { currency: GBP, base_fee: { routine: 220, complex: 440, sensitive: 700 }, vip_premium: 130, csat_bonus: 90, csat_min_score: 4, clawback_bp: 5000, reopen_window_hours: 24 }
          - version: "t2"
            effective_from: "2025-06-01T00:00:00Z"
            markets:
              EU: { currency: EUR, base_fee: { routine: 300, complex: 600, sensitive: 900 }, vip_premium: 200, csat_bonus: 120 }
        """

    static var book: RateCardBook { try! RateCardBook.parse(yaml) }

    static func handler(_ cadence: PayCadence = .monthly) -> PayoutHandler {
        PayoutHandler(book: book, cadence: cadence)
    }
}
