import Foundation

/// The shared broker's client connections, through `rabbitmqctl` on this machine's node: a test cuts one client's
/// connections as a broker restart or a network failure would, without stopping the broker the other suites share.
public enum BrokerConnections {
    static let rabbitmqctl = "/usr/sbin/rabbitmqctl"

    /// The connections (their Erlang pids, as `close_connection` takes them) whose client property `connection_name`
    /// is `name`. (The JSON formatter prints pids in a form `close_connection` does not take: the table's lines are
    /// the pid, a tab, and the client properties as an Erlang term.)
    public static func pids(named name: String) async throws -> Set<String> {
        let output = try await FaultServices.capture(
            [Self.rabbitmqctl, "list_connections", "pid", "client_properties", "--quiet", "--no-table-headers"]
        )
        let quoted = "\"\(name)\""
        return Set(
            output.split(separator: "\n").compactMap { line -> String? in
                let fields = line.split(separator: "\t", maxSplits: 1)
                guard fields.count == 2, fields[0].hasPrefix("<"), fields[1].contains(quoted) else { return nil }
                return String(fields[0])
            })
    }

    /// Closes the connections named `name` (the client gets connection.close 320 CONNECTION_FORCED); returns their
    /// pids.
    public static func close(named name: String) async throws -> Set<String> {
        let pids = try await Self.pids(named: name)
        for pid in pids {
            let status = await TestServices.run([Self.rabbitmqctl, "close_connection", pid, "test: connection lost"])
            guard status == 0 else { throw TestFailure("rabbitmqctl close_connection \(pid) exited \(status)") }
        }
        return pids
    }
}
