import ArgumentParser
import ConciergeAMQP
import ConciergeAdmin
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
        let publisher = try await AMQPPublisher.connect(
            configuration: try context.configuration.amqp(connectionName: "conciergectl-publish"),
            logger: context.logger
        )
        let publishing = JSONLinesPublishing(exchange: self.exchange, routingKey: self.routingKey, batch: self.batch)
        let outcome: JSONLinesPublishing.Outcome
        do {
            outcome = try await publishing.publish(text, with: publisher)
        } catch {
            await publisher.close()
            throw error
        }
        await publisher.close()
        print("published: \(outcome.confirmed) confirmed, \(outcome.failed) not confirmed (of \(outcome.lines) lines)")
        if outcome.failed > 0 { throw ExitCode(1) }
    }
}
