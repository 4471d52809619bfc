public import ConciergeAMQP

/// A RabbitMQ policy: settings the broker applies to every queue (or exchange) whose name matches `pattern`, also to
/// queues that already exist (unlike queue arguments, which a redeclaration cannot change). Policies are not part of
/// AMQP 0-9-1: they are set with `rabbitmqctl set_policy` (`rabbitmqctlArguments`) or imported with a definitions file
/// (`AMQPTopology.definitionsJSON(policies:)`).
public struct RabbitMQPolicy: Sendable {
    public var name: String
    /// A regular expression over resource names.
    public var pattern: String
    /// `queues`, `exchanges` or `all`.
    public var applyTo: String
    public var definition: [String: AMQPFieldValue]
    public var priority: Int

    public init(
        name: String, pattern: String, applyTo: String = "queues", definition: [String: AMQPFieldValue],
        priority: Int = 0
    ) {
        self.name = name
        self.pattern = pattern
        self.applyTo = applyTo
        self.definition = definition
        self.priority = priority
    }

    /// `rabbitmqctl` arguments that set the policy on `vhost` (the definition as JSON, keys sorted).
    public func rabbitmqctlArguments(vhost: String = "/") -> [String] {
        let fields = self.definition.keys.sorted().map { key -> String in
            let value: String =
                switch self.definition[key] {
                case .int(let int): "\(int)"
                case .string(let string): "\"\(string)\""
                case .bool(let bool): "\(bool)"
                default: "null"
                }
            return "\"\(key)\": \(value)"
        }
        return [
            "set_policy", "-p", vhost, "--apply-to", self.applyTo, "--priority", "\(self.priority)", self.name,
            self.pattern,
            "{" + fields.joined(separator: ", ") + "}",
        ]
    }
}
