import Foundation

/// The private service instances the fault suites (`*FaultTests`) break: `scripts/fault-services` starts them and
/// prints these variables; `scripts/test` runs the fault suites in their own pass with them set.
///
/// - `CONCIERGE_FAULT_POSTGRES_URL`: a database on a private PostgreSQL cluster
/// - `CONCIERGE_FAULT_POSTGRES_CLUSTER`: that cluster for `pg_ctlcluster` ("15 faults")
public enum FaultServices {
    /// True when the fault suites should run: the variables are set, or `CONCIERGE_TEST_SERVICES=require` (then a
    /// missing variable fails the suite loudly).
    public static var enabled: Bool {
        TestServices.required || TestServices.environment["CONCIERGE_FAULT_POSTGRES_URL"] != nil
    }

    public static func postgresURL() throws -> String {
        try self.variable("CONCIERGE_FAULT_POSTGRES_URL")
    }

    /// `pg_ctlcluster <version> <name> <action>` on the private cluster (stop uses `-m fast`).
    public static func postgresCluster(_ action: String) async throws {
        let cluster = try self.variable("CONCIERGE_FAULT_POSTGRES_CLUSTER").split(separator: " ").map(String.init)
        var arguments = ["/usr/bin/pg_ctlcluster"] + cluster + [action]
        if action == "stop" { arguments += ["-m", "fast"] }
        let status = await TestServices.run(arguments)
        guard status == 0 else { throw TestFailure("\(arguments.joined(separator: " ")) exited \(status)") }
    }

    static func variable(_ name: String) throws -> String {
        guard let value = TestServices.environment[name], !value.isEmpty else {
            throw TestFailure("\(name) is not set: run the fault suites through scripts/test (or eval \"$(scripts/fault-services)\")")
        }
        return value
    }
}
