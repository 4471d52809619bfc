public import ConciergeAMQP
import Foundation

extension AMQPTopology {
    /// The topology as a RabbitMQ definitions document (for `rabbitmqctl import_definitions` or the management
    /// plugin's `load_definitions`), on the virtual host `vhost`. Keys are sorted so the output is reproducible.
    /// With `users`, the document also carries them and their permissions and topic permissions on `vhost`, without
    /// passwords (an empty hash: nobody can sign in as them until an operator sets each password from the secret
    /// store, e.g. with `scripts/rabbitmq-users`).
    /// `policies` go into the document's `policies` (the dead-letter queue's bound, say).
    public func definitionsJSON(vhost: String = "/", users: RabbitMQUsers? = nil, policies: [RabbitMQPolicy] = [])
        -> String
    {
        func json(_ value: AMQPFieldValue) -> Any {
            switch value {
            case .string(let string): string
            case .bool(let bool): bool
            case .int(let int): int
            case .double(let double): double
            case .timestamp(let timestamp): timestamp
            case .bytes(let bytes): bytes.map { Int($0) }
            case .array(let array): array.map(json)
            case .table(let table): table.mapValues(json)
            case .void: NSNull()
            }
        }
        var document: [String: Any] = [
            "exchanges": self.exchanges.map {
                [
                    "name": $0.name, "vhost": vhost, "type": $0.type, "durable": $0.durable, "auto_delete": false,
                    "internal": $0.internal, "arguments": $0.arguments.mapValues(json),
                ] as [String: Any]
            },
            "queues": self.queues.map {
                [
                    "name": $0.name, "vhost": vhost, "durable": $0.durable, "auto_delete": false,
                    "arguments": $0.arguments.mapValues(json),
                ] as [String: Any]
            },
            "bindings": self.bindings.map {
                [
                    "source": $0.exchange, "vhost": vhost, "destination": $0.queue, "destination_type": "queue",
                    "routing_key": $0.routingKey, "arguments": $0.arguments.mapValues(json),
                ] as [String: Any]
            },
        ]
        if !policies.isEmpty {
            document["policies"] = policies.map {
                [
                    "vhost": vhost, "name": $0.name, "pattern": $0.pattern, "apply-to": $0.applyTo,
                    "definition": $0.definition.mapValues(json), "priority": $0.priority,
                ] as [String: Any]
            }
        }
        if let users {
            document["users"] = users.users.map {
                [
                    "name": $0.name, "password_hash": "", "hashing_algorithm": "rabbit_password_hashing_sha256",
                    "tags": $0.tags, "limits": [String: Any](),
                ]
                    as [String: Any]
            }
            document["permissions"] = users.users.map {
                ["user": $0.name, "vhost": vhost, "configure": $0.configure, "write": $0.write, "read": $0.read]
            }
            document["topic_permissions"] = users.topicPermissions.map {
                ["user": $0.user, "vhost": vhost, "exchange": $0.exchange, "write": $0.write, "read": $0.read]
            }
        }
        let data = try! JSONSerialization.data(
            withJSONObject: document, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
