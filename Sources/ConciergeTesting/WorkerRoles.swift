public import ConciergePostgres

/// The per-worker PostgreSQL roles of migrations 0050 and 0052 (the agent gateway's), for tests that run a worker as it runs in production.
///
/// Each worker logs in as `concierge_<worker>` (password: the same name, test and demo machines only), a member of
/// the NOLOGIN group `concierge_worker_<worker>` that holds the grants. `scripts/services` creates the login roles;
/// ``ensureLogin(_:owner:)`` creates one when missing so a suite also runs against a cluster set up by hand.
public enum WorkerRoles {
    public static let workers = ["classifier", "responder", "escalation", "payout", "agent_gateway"]

    public static func group(_ worker: String) -> String { "concierge_worker_\(worker)" }
    public static func login(_ worker: String) -> String { "concierge_\(worker)" }

    /// `base` (the owner's configuration of the test database) logging in as `worker`'s role instead.
    public static func configuration(_ worker: String, base: PostgresConfiguration) -> PostgresConfiguration {
        var configuration = base
        configuration.user = login(worker)
        configuration.password = login(worker)
        configuration.applicationName = "concierge-\(worker)-role-test"
        return configuration
    }

    /// Creates the login role when missing (concurrent creation by another suite is tolerated). Needs a migrated
    /// database (the group role) and an owner with CREATEROLE.
    public static func ensureLogin(_ worker: String, owner: PostgresConnection) async throws {
        precondition(workers.contains(worker), "unknown worker \(worker)")
        // Names come from the fixed list above: safe in DDL, which takes no parameters.
        try await owner.executeScript(
            """
            DO $$ BEGIN
                IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '\(login(worker))') THEN
                    BEGIN
                        CREATE ROLE \(login(worker)) LOGIN PASSWORD '\(login(worker))' IN ROLE \(group(worker));
                    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
                    END;
                END IF;
            END $$;
            """)
    }
}
