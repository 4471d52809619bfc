import ArgumentParser
import ConciergeAMQP
import ConciergeCore
import ConciergeRuntime
import Foundation

/// Publishes JSON lines (one message per line) with publisher confirms. Each line must carry `message_id`; an
/// `inquiry.v1` goes to the inquiries exchange with the routing key `inquiry.<channel>`. Lines are published as they
/// are (invalid ones too: the fleet dead-letters them with a reason, which is how the demo shows bad input).
struct PublishCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Publish JSON lines (one inquiry per line) with publisher confirms."
    )

    @Argument(help: "A file of JSON lines; - or nothing reads standard input.")
    var file: String = "-"

    @Option(help: "Exchange to publish to.")
    var exchange = FleetNames.inquiriesExchange

    @Option(help: "Routing key when the line has no channel (default inquiry.<channel>).")
    var routingKey: String?

    @Option(help: "Messages per confirm batch.")
    var batch = 500

    func run() async throws {
        let context = try await CommandContext.make()
        let text: String
        if self.file == "-" {
            text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        } else {
            text = try String(contentsOfFile: self.file, encoding: .utf8)
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true).filter {
            !$0.trimmingCharacters(in: .whitespaces).isEmpty
        }
        let publisher = try await AMQPPublisher.connect(
            configuration: try context.configuration.amqp(connectionName: "conciergectl-publish"), logger: context.logger
        )
        var confirmed = 0
        var failed = 0
        for chunk in stride(from: 0, to: lines.count, by: max(1, self.batch)).map({ lines[$0..<min($0 + self.batch, lines.count)] }) {
            let messages = chunk.enumerated().map { offset, line in self.message(for: String(line), fallbackID: "line-\(confirmed + failed + offset + 1)") }
            let outcomes = try await publisher.publish(messages)
            for outcome in outcomes {
                if outcome == .confirmed { confirmed += 1 } else { failed += 1 }
            }
        }
        await publisher.close()
        print("published: \(confirmed) confirmed, \(failed) not confirmed (of \(lines.count) lines)")
        if failed > 0 { throw ExitCode(1) }
    }

    func message(for line: String, fallbackID: String) -> AMQPMessage {
        struct Header: Decodable {
            var schema: String?
            var message_id: String?
            var channel: String?
        }
        let header = try? JSONDecoder().decode(Header.self, from: Data(line.utf8))
        let routingKey = self.routingKey ?? "inquiry.\(header?.channel ?? "unknown")"
        return AMQPMessage(
            exchange: self.exchange,
            routingKey: routingKey,
            body: Array(line.utf8),
            properties: AMQPProperties(
                contentType: "application/json", persistent: true, messageId: header?.message_id, type: header?.schema,
                appId: "conciergectl"
            )
        )
    }
}
