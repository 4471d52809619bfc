public import Foundation

/// The private service instances the fault suites (`*FaultTests`) break: `scripts/fault-services` starts them and
/// prints these variables; `scripts/test` runs the fault suites in their own pass with them set.
///
/// - `CONCIERGE_FAULT_POSTGRES_URL`: a database on a private PostgreSQL cluster
/// - `CONCIERGE_FAULT_POSTGRES_CLUSTER`: that cluster for `pg_ctlcluster` ("15 faults")
/// - `CONCIERGE_FAULT_AMQP_URL`, `CONCIERGE_FAULT_RABBITMQ_NODE`: a standalone private RabbitMQ node
/// - `CONCIERGE_FAULT_CLUSTER_AMQP_URLS`, `CONCIERGE_FAULT_CLUSTER_NODES`: a private three-node cluster (URLs and
///   node names, comma-separated, in the same order)
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

    public static func amqpURL() throws -> String { try self.variable("CONCIERGE_FAULT_AMQP_URL") }
    public static func rabbitNode() throws -> String { try self.variable("CONCIERGE_FAULT_RABBITMQ_NODE") }
    public static func clusterURLs() throws -> String { try self.variable("CONCIERGE_FAULT_CLUSTER_AMQP_URLS") }
    public static func clusterNodes() throws -> [String] {
        try self.variable("CONCIERGE_FAULT_CLUSTER_NODES").split(separator: ",").map(String.init)
    }

    /// The operating-system pid of a private node (`scripts/fault-services` keeps its pid file).
    public static func pid(ofNode node: String) throws -> pid_t {
        let name = node.split(separator: "@").first.map(String.init) ?? node
        let path = "/var/lib/rabbitmq/concierge-faults/\(name)/pid"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
            let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines))
        else { throw TestFailure("no pid file for \(node) at \(path)") }
        return pid
    }

    /// The node that leads a quorum queue, asked through `via`.
    public static func leader(ofQueue queue: String, via node: String) async throws -> String {
        let output = try await self.capture([
            "/usr/sbin/rabbitmqctl", "-q", "-n", node, "list_queues", "--no-table-headers", "name", "leader",
        ])
        for line in output.split(separator: "\n") {
            let fields = line.split(separator: "\t").map { $0.trimmingCharacters(in: .whitespaces) }
            if fields.count >= 2, fields[0] == queue { return fields[1] }
        }
        throw TestFailure("no leader for \(queue) in: \(output.prefix(500))")
    }

    /// `rabbitmqctl -q -n <node> <arguments>` against a private node; returns its standard output. Throws when it
    /// exits non-zero.
    @discardableResult
    public static func rabbitmqctl(_ node: String, _ arguments: [String]) async throws -> String {
        let (status, output) = try await self.captureWithStatus(
            ["/usr/sbin/rabbitmqctl", "-q", "-n", node] + arguments)
        guard status == 0 else {
            throw TestFailure("rabbitmqctl \(arguments.joined(separator: " ")) exited \(status): \(output.prefix(300))")
        }
        return output
    }

    /// Starts whatever private instance is not running (and joins cluster nodes again): `scripts/fault-services start`.
    public static func startAgain(filePath: String = #filePath) async throws {
        var root = URL(fileURLWithPath: filePath)
        while root.pathComponents.count > 1,
            !FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path)
        {
            root.deleteLastPathComponent()
        }
        let status = await TestServices.run([
            "/bin/bash", root.appendingPathComponent("scripts/fault-services").path, "start",
        ])
        guard status == 0 else { throw TestFailure("scripts/fault-services start exited \(status)") }
    }

    /// Runs a command and returns its standard output (read on a thread of its own: the read blocks).
    static func capture(_ arguments: [String]) async throws -> String {
        try await self.captureWithStatus(arguments).output
    }

    static func captureWithStatus(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let output = await withCheckedContinuation { (continuation: CheckedContinuation<String, Never>) in
            Thread {
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                continuation.resume(returning: String(decoding: data, as: UTF8.self))
            }.start()
        }
        guard await process.waitForExit(timeout: .seconds(60)) else { return (-1, output) }
        return (process.terminationStatus, output)
    }

    static func variable(_ name: String) throws -> String {
        guard let value = TestServices.environment[name], !value.isEmpty else {
            throw TestFailure(
                "\(name) is not set: run the fault suites through scripts/test (or eval \"$(scripts/fault-services)\")")
        }
        return value
    }
}
