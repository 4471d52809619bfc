public import ConciergeAMQP
public import ConciergeCore

/// The fleet's one declared topology.
///
/// - Exchanges: inquiries (topic, from upstream), work (direct, between workers), outcomes (topic, to upstream),
///   agents (topic, from the agent app), dead-letter (fan-out), and one fan-out exchange per retry tier.
/// - Worker queues are quorum queues with a delivery limit and at-least-once dead-lettering into the dead-letter
///   exchange (which requires `x-overflow: reject-publish`).
/// - Retry tiers: one quorum queue per backoff delay (`concierge.retry.quorum.<delay>`, behind a fan-out exchange of the
///   same name) with a queue-level message TTL whose dead-letter exchange is `concierge.retry.return`, a direct
///   exchange to which every worker queue is bound under its own name: an expired message returns to the queue named
///   by its routing key (its original queue). Dead-lettering is at-least-once: the tier keeps an expired message
///   until the queue it returns to has confirmed it, and sends it again while that queue refuses it or is out of
///   reach. (A classic queue's TTL dead-lettering is at-most-once: nothing confirms the transfer, so a message
///   expiring while its queue is out of reach can be lost; against a quorum queue at its length limit, measured
///   here, the classic tier's messages went in past the limit instead.) `RetryTiers.legacyQueueName` names the classic
///   tiers of earlier versions, which `conciergectl topology --remove-legacy-retry-tiers` deletes once they are empty.
/// - The dead-letter queue is a quorum queue bounded by the policy `deadLetterPolicy` (100,000 messages,
///   `reject-publish`): a policy, not an argument, so it applies to a queue declared by an earlier version. At the
///   bound nothing is dropped: a worker's dead-letter publish is nacked and the worker holds the message; a worker
///   queue's own dead-lettering (delivery limit) keeps the message in the worker queue until there is room (as
///   RabbitMQ documents at-least-once dead-lettering; not fault-tested here).
///
/// `conciergectl topology` declares it; `config/rabbitmq-definitions.json` is the same topology as a RabbitMQ
/// definitions file (a test keeps the two identical).
public struct FleetTopology: Sendable {
    public var deliveryLimit: Int
    public var retryTiers: RetryTiers
    /// The dead-letter queue's bound (`deadLetterPolicy`). The alerts in `deploy/monitoring/alert-rules.yaml` fire at
    /// 10 % and 80 % of it (`MonitoringTests`).
    public var deadLetterMaxLength = 100_000

    public init(deliveryLimit: Int = 10, retryTiers: RetryTiers = .init()) {
        self.deliveryLimit = deliveryLimit
        self.retryTiers = retryTiers
    }

    /// Arguments of a worker queue.
    public func workerQueueArguments() -> [String: AMQPFieldValue] {
        [
            "x-queue-type": .string("quorum"),
            "x-delivery-limit": .int(Int64(self.deliveryLimit)),
            "x-dead-letter-exchange": .string(FleetNames.deadLetterExchange),
            "x-dead-letter-strategy": .string("at-least-once"),
            "x-overflow": .string("reject-publish"),
        ]
    }

    /// Arguments of the retry tier `tier`: a quorum queue whose messages expire after the tier's delay and are
    /// dead-lettered at least once to `concierge.retry.return` (back to the queue their routing key names).
    /// At-least-once dead-lettering requires `x-overflow: reject-publish`.
    public func retryTierArguments(tier: Int) -> [String: AMQPFieldValue] {
        [
            "x-queue-type": .string("quorum"),
            "x-message-ttl": .int(self.retryTiers.ttlMilliseconds(tier: tier)),
            "x-dead-letter-exchange": .string(FleetNames.retryReturnExchange),
            "x-dead-letter-strategy": .string("at-least-once"),
            "x-overflow": .string("reject-publish"),
        ]
    }

    /// The dead-letter queue's bound, as a RabbitMQ policy (`rabbitmqctl set_policy`, or the `policies` of the
    /// definitions file): at most `deadLetterMaxLength` messages, refusing more (`reject-publish`, never dropping the
    /// oldest; a quorum queue refuses once it is over the bound, so it holds one message more).
    public var deadLetterPolicy: RabbitMQPolicy {
        RabbitMQPolicy(
            name: "concierge-dead-letter-bound", pattern: "^concierge\\.dead-letter$", applyTo: "queues",
            definition: ["max-length": .int(Int64(self.deadLetterMaxLength)), "overflow": .string("reject-publish")]
        )
    }

    /// A worker queue plus the retry and dead-letter plumbing it needs; used for the fleet's queues and by tests and
    /// benchmarks that declare their own queues.
    public func workerQueue(_ name: String, bindings: [AMQPTopology.Binding] = []) -> AMQPTopology {
        var topology = self.plumbing()
        topology.queues.append(.init(name: name, arguments: self.workerQueueArguments()))
        topology.bindings.append(self.retryReturn(name))
        topology.bindings += bindings
        return topology
    }

    /// The binding that brings a worker queue's expired retries back to it.
    public func retryReturn(_ queue: String) -> AMQPTopology.Binding {
        .init(queue: queue, exchange: FleetNames.retryReturnExchange, routingKey: queue)
    }

    /// Dead-letter exchange and queue, and the retry tiers.
    public func plumbing() -> AMQPTopology {
        var topology = AMQPTopology()
        topology.exchanges.append(.init(name: FleetNames.deadLetterExchange, type: "fanout"))
        topology.queues.append(
            .init(name: FleetNames.deadLetterQueue, arguments: ["x-queue-type": .string("quorum")])
        )
        topology.bindings.append(
            .init(queue: FleetNames.deadLetterQueue, exchange: FleetNames.deadLetterExchange, routingKey: ""))
        topology.exchanges.append(.init(name: FleetNames.retryReturnExchange, type: "direct"))
        for tier in self.retryTiers.delays.indices {
            let name = self.retryTiers.queueName(tier: tier)
            topology.exchanges.append(.init(name: name, type: "fanout"))
            topology.queues.append(.init(name: name, arguments: self.retryTierArguments(tier: tier)))
            topology.bindings.append(.init(queue: name, exchange: name, routingKey: ""))
        }
        return topology
    }

    /// The fleet's worker kinds, each with its own AMQP user (`config/rabbitmq-users.tsv`).
    public enum Worker: String, Sendable, CaseIterable {
        case classifier, responder, escalation, payout
    }

    /// What one worker kind declares on every (re)connect: the shared dead-letter and retry plumbing, its own
    /// queue(s) and their bindings, and the exchanges it binds from or publishes to. No more, so its AMQP user needs
    /// configure permission on nothing else (`config/rabbitmq-users.tsv`); `fleet()` is the union.
    public func worker(_ worker: Worker) -> AMQPTopology {
        let fleet = self.fleet()
        let (queues, exchanges): ([String], [String]) =
            switch worker {
            case .classifier: ([FleetNames.classifierQueue], [FleetNames.inquiriesExchange, FleetNames.workExchange])
            case .responder: ([FleetNames.responderQueue], [FleetNames.workExchange, FleetNames.outcomesExchange])
            case .escalation:
                (
                    [FleetNames.escalationQueue, FleetNames.agentEventsQueue],
                    [FleetNames.workExchange, FleetNames.outcomesExchange, FleetNames.agentsExchange]
                )
            case .payout: ([FleetNames.payoutQueue], [FleetNames.workExchange])
            }
        var topology = self.plumbing()
        topology.exchanges += fleet.exchanges.filter { exchanges.contains($0.name) }
        topology.queues += fleet.queues.filter { queues.contains($0.name) }
        topology.bindings += fleet.bindings.filter {
            queues.contains($0.queue) && $0.queue != FleetNames.deadLetterQueue
        }
        return topology
    }

    /// Everything the fleet declares.
    public func fleet() -> AMQPTopology {
        var topology = self.plumbing()
        topology.exchanges += [
            .init(name: FleetNames.inquiriesExchange, type: "topic"),
            .init(name: FleetNames.workExchange, type: "direct"),
            .init(name: FleetNames.outcomesExchange, type: "topic"),
            .init(name: FleetNames.agentsExchange, type: "topic"),
        ]
        let queues = [
            FleetNames.classifierQueue, FleetNames.responderQueue, FleetNames.escalationQueue,
            FleetNames.agentEventsQueue, FleetNames.payoutQueue,
        ]
        topology.queues += queues.map { .init(name: $0, arguments: self.workerQueueArguments()) }
        topology.bindings += [
            .init(queue: FleetNames.classifierQueue, exchange: FleetNames.inquiriesExchange, routingKey: "inquiry.#"),
            .init(
                queue: FleetNames.responderQueue, exchange: FleetNames.workExchange, routingKey: FleetNames.aiLaneKey),
            .init(
                queue: FleetNames.escalationQueue, exchange: FleetNames.workExchange,
                routingKey: FleetNames.humanLaneKey),
            .init(queue: FleetNames.agentEventsQueue, exchange: FleetNames.agentsExchange, routingKey: "agent.#"),
            .init(queue: FleetNames.payoutQueue, exchange: FleetNames.workExchange, routingKey: FleetNames.payoutKey),
        ]
        topology.bindings += queues.map(self.retryReturn)
        return topology
    }
}
