import ArgumentParser
import ConciergeAMQP
import ConciergeCore
import ConciergeRuntime

/// Lists what sits in the dead-letter queue, grouped by reason, without removing anything: the messages are received
/// and then released unacknowledged, so they go back to the queue.
struct DeadLettersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dead-letters",
        abstract: "Show the dead-letter queue by reason (messages stay in the queue)."
    )

    @Option(help: "Most messages to look at.")
    var limit = 1000

    func run() async throws {
        let context = try await CommandContext.make()
        let amqp = try context.configuration.amqp(connectionName: "conciergectl-dead-letters")
        let consumer = try await AMQPConsumer.connect(
            configuration: amqp, queue: FleetNames.deadLetterQueue, prefetch: UInt16(clamping: self.limit), logger: context.logger
        )
        var seen: [AMQPDelivery] = []
        while seen.count < self.limit {
            let batch = try await consumer.receive(max: self.limit - seen.count, timeout: .milliseconds(700))
            if batch.isEmpty { break }
            seen += batch
        }
        await consumer.close()  // unacknowledged: they return to the queue
        var byReason: [String: [String]] = [:]
        for delivery in seen {
            let headers = delivery.properties.headers
            let reason: String
            if case .string(let value) = headers[FleetNames.Headers.reason] {
                reason = value
            } else if case .array(let deaths) = headers["x-death"], case .table(let death) = deaths.first,
                case .string(let brokerReason) = death["reason"]
            {
                reason = "broker:\(brokerReason)"
            } else {
                reason = "unknown"
            }
            var detail = delivery.properties.messageId ?? "(no id)"
            if case .string(let text) = headers[FleetNames.Headers.detail] { detail += ": \(text)" }
            byReason[reason, default: []].append(detail)
        }
        print("dead letters: \(seen.count)")
        for (reason, items) in byReason.sorted(by: { $0.key < $1.key }) {
            print("  \(reason): \(items.count)")
            for item in items.prefix(5) { print("    - \(item)") }
        }
    }
}
