import ConciergePostgres
import ConciergeRuntime
import ConciergeSchema
import ConciergeTesting
import Logging
import Testing

/// Least privilege (migration 0050): each worker's role holds exactly the table privileges below and nothing else —
/// no ownership (so no ALTER TABLE, DISABLE TRIGGER, DROP), no TRUNCATE, no CREATE in the schema. Every table of the
/// schema must appear here: a table added without deciding who may touch it fails `everyTableIsConsidered`.
/// That each role suffices for its worker's job is shown by the `…RoleTests` of each worker's suite.
@Suite(.serialized, .enabled(if: TestServices.enabled))
struct WorkerRoleTests {
    typealias Grants = [String: String]  // worker initial -> privileges (S I U D)

    /// table -> (worker -> privileges): c classifier, r responder, e escalation, p payout, g agent gateway; S=SELECT I=INSERT U=UPDATE D=DELETE.
    static let expected: [String: Grants] = [
        "schema_migrations": ["c": "S", "r": "S", "e": "S", "p": "S"],
        "inbox": ["c": "SI", "r": "SI", "e": "SI", "p": "SI"],
        "outbox": ["c": "SIUD", "r": "SIUD", "e": "SIUD", "p": "SIUD"],
        "delivery_attempts": ["c": "SIUD", "r": "SIUD", "e": "SIUD", "p": "SIUD"],
        "passthrough_log": [:],
        "customers": ["c": "S", "r": "S", "e": "S", "p": "S", "g": "S"],
        "conversations": ["c": "SIU", "r": "SIU", "e": "SIU"],
        "inquiries": ["c": "SI", "r": "S", "e": "S"],
        "routing_decisions": ["c": "SI", "e": "S"],
        "transcript_entries": ["c": "SI", "r": "SI", "e": "SI", "g": "S"],
        "purchases": ["r": "S", "e": "S"],
        "payment_plans": ["r": "S", "e": "S"],
        "instalments": ["r": "S", "e": "S"],
        "payments": ["r": "S", "e": "S"],
        "refunds": ["r": "S", "e": "S"],
        "ai_replies": ["r": "SI", "e": "S"],
        "ai_handoffs": ["r": "SI", "e": "S"],
        "agents": ["e": "SIU", "p": "S", "g": "S"],
        "agent_status_history": ["e": "SI"],
        "agent_applications": ["e": "SI"],
        "escalations": ["e": "SIU", "g": "S"],
        "offers": ["e": "SIU", "g": "S"],
        "assignments": ["e": "SIU", "g": "S"],
        "agent_messages": ["e": "SI"],
        "agent_feedback": ["e": "SI"],
        "payout_currencies": ["e": "S", "p": "SI", "g": "S"],
        "payout_rate_cards": ["e": "S", "p": "SI"],
        "payout_agents": ["p": "SIU"],
        "payout_periods": ["p": "SIU"],
        "payout_assignments": ["p": "SI"],
        "payout_feedback": ["p": "SI"],
        "payout_reopens": ["p": "SI"],
        "payout_earnings": ["p": "SI"],
        "ledger_transactions": ["p": "SI"],
        "ledger_entries": ["p": "SI"],
        "payout_statements": ["p": "SI"],
        "payout_statement_lines": ["p": "SI"],
        "customer_erasures": [:],
        // 0020, 0030, 0040 (grants in 0052). Tables only conciergectl touches (as the owner) have no worker grants.
        "dead_letters": [:],
        "agent_presence_sessions": ["e": "SIU"],
        "payout_runs": [:],
        "payout_instructions": [:],
        "payout_instruction_statements": [:],
        "payout_settlements": [:],
        "payout_carries": [:],
        "agent_payout_details": [:],
        "agent_credentials": ["g": "SU"],
        "agent_sessions": ["g": "SID"],
    ]
    /// Columns a worker may SELECT from a table it cannot read whole (column privileges, which `has_table_privilege`
    /// does not show): the payout worker checks a resolution against the escalation worker's records (0055), without
    /// the escalation's preview or summary (customer text).
    static let readableColumns: [String: [String: Set<String>]] = [
        "assignments": [
            "p": [
                "assignment_id", "escalation_id", "offer_id", "conversation_id", "agent_id", "customer_id", "state",
                "outcome", "surge_bp",
            ]
        ],
        "escalations": ["p": ["escalation_id", "vip", "complexity"]],
    ]
    static let initials = ["classifier": "c", "responder": "r", "escalation": "e", "payout": "p", "agent_gateway": "g"]
    static let privileges: [(Character, String)] = [("S", "SELECT"), ("I", "INSERT"), ("U", "UPDATE"), ("D", "DELETE")]

    static func owner() async throws -> PostgresConnection {
        let logger = Logger(label: "test.roles")
        let connection = try await PostgresConnection.connect(
            configuration: PostgresConfiguration(url: TestServices.postgresURL), logger: logger)
        try await Migrator.fleet().migrate(connection, logger: logger)
        for worker in WorkerRoles.workers { try await WorkerRoles.ensureLogin(worker, owner: connection) }
        return connection
    }

    @Test func everyTableIsConsidered() async throws {
        let owner = try await Self.owner()
        let tables = try await owner.query(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
        ).map { try $0.decode(String.self, named: "tablename") }
        await owner.close()
        let missing = Set(tables).subtracting(Self.expected.keys).sorted()
        #expect(
            missing.isEmpty,
            "tables without a decision on the workers' privileges (add grants to a migration and a row here): \(missing)"
        )
    }

    @Test(arguments: WorkerRoles.workers)
    func roleHoldsExactlyItsPrivilegesAndOwnsNothing(worker: String) async throws {
        let owner = try await Self.owner()
        let group = WorkerRoles.group(worker)
        let initial = try #require(Self.initials[worker])
        for (table, grants) in Self.expected {
            let exists = try await owner.query("SELECT to_regclass($1) IS NOT NULL AS present", ["public.\(table)"])
                .first?.decode(
                    Bool.self, named: "present")
            guard exists == true else { continue }
            let allowed = grants[initial] ?? ""
            for (letter, privilege) in Self.privileges + [("T", "TRUNCATE"), ("R", "REFERENCES"), ("G", "TRIGGER")] {
                let has = try #require(
                    try await owner.query(
                        "SELECT has_table_privilege($1, $2, $3) AS has",
                        [WorkerRoles.login(worker), "public.\(table)", privilege]
                    ).first
                ).decode(Bool.self, named: "has")
                #expect(has == allowed.contains(letter), "\(worker) \(privilege) on \(table): \(has)")
            }
        }
        let owned = try await owner.query(
            "SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner WHERE r.rolname IN ($1, $2)",
            [group, WorkerRoles.login(worker)]
        ).first?.decode(Int64.self, named: "count")
        #expect(owned == 0)
        let create = try await owner.query(
            "SELECT has_schema_privilege($1, 'public', 'CREATE') AS has", [WorkerRoles.login(worker)]
        ).first?.decode(Bool.self, named: "has")
        #expect(create == false)
        await owner.close()
    }

    @Test(arguments: WorkerRoles.workers)
    func roleReadsExactlyItsColumns(worker: String) async throws {
        let owner = try await Self.owner()
        let initial = try #require(Self.initials[worker])
        for (table, columnsByWorker) in Self.readableColumns {
            let wholeTable = Self.expected[table]?[initial]?.contains("S") == true
            let columns = try await owner.query(
                "SELECT column_name::text AS column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1",
                [table]
            ).map { try $0.decode(String.self, named: "column_name") }
            #expect(!columns.isEmpty)
            for column in columns {
                let has = try #require(
                    try await owner.query(
                        "SELECT has_column_privilege($1, $2, $3, 'SELECT') AS has",
                        [WorkerRoles.login(worker), "public.\(table)", column]
                    ).first
                ).decode(Bool.self, named: "has")
                let allowed = wholeTable || columnsByWorker[initial]?.contains(column) == true
                #expect(has == allowed, "\(worker) SELECT (\(column)) on \(table): \(has)")
            }
        }
        await owner.close()
    }

    /// What a compromised worker would try against the append-only ledger and the schema, as that worker's login.
    @Test(arguments: WorkerRoles.workers)
    func roleIsRefusedTamperingWithTheLedgerAndTheSchema(worker: String) async throws {
        let owner = try await Self.owner()
        await owner.close()
        let role = try await PostgresConnection.connect(
            configuration: WorkerRoles.configuration(
                worker, base: PostgresConfiguration(url: TestServices.postgresURL)),
            logger: Logger(label: "test.roles"))
        let attempts = [
            "ALTER TABLE ledger_entries DISABLE TRIGGER ALL",
            "ALTER TABLE ledger_transactions DISABLE TRIGGER USER",
            "ALTER TABLE payout_earnings DISABLE TRIGGER ALL",
            "UPDATE ledger_entries SET amount_minor = amount_minor WHERE false",
            "DELETE FROM ledger_entries WHERE false",
            "TRUNCATE ledger_entries",
            "DROP TABLE ledger_entries",
            "CREATE TABLE public.worker_made (x int)",
            "DROP TRIGGER IF EXISTS ledger_entries_balanced ON ledger_entries",
            "SET session_replication_role = replica",
        ]
        for sql in attempts {
            do {
                try await role.executeScript(sql)
                Issue.record("\(worker) was allowed: \(sql)")
            } catch let error as PostgresError {
                #expect(error.sqlState == "42501", "\(worker): \(sql): \(error.debugDescription)")
            }
        }
        await role.close()
    }

    /// The responder talks to an external LLM: it reads account facts and never changes them.
    @Test func responderCannotChangeAccountFacts() async throws {
        let owner = try await Self.owner()
        await owner.close()
        let role = try await PostgresConnection.connect(
            configuration: WorkerRoles.configuration(
                "responder", base: PostgresConfiguration(url: TestServices.postgresURL)),
            logger: Logger(label: "test.roles"))
        for sql in [
            "UPDATE payments SET amount_minor = 0 WHERE false", "DELETE FROM purchases WHERE false",
            "INSERT INTO refunds SELECT * FROM refunds WHERE false", "UPDATE customers SET tier = 'vip' WHERE false",
            "SELECT count(*) FROM agents", "SELECT count(*) FROM ledger_entries",
            "INSERT INTO agent_messages SELECT * FROM agent_messages WHERE false",
        ] {
            do {
                try await role.executeScript(sql)
                Issue.record("responder was allowed: \(sql)")
            } catch let error as PostgresError {
                #expect(error.sqlState == "42501", "\(sql): \(error.debugDescription)")
            }
        }
        await role.close()
    }
}
