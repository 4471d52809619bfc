import ArgumentParser
import ConciergeAMQP
import ConciergeAdmin
import ConciergeCore
import ConciergeRuntime
import Foundation

struct QueuesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queues",
        abstract: "Show the depth and consumer count of the fleet's queues."
    )

    func run() async throws {
        let context = try await CommandContext.make()
        let publisher = try await AMQPPublisher.connect(
            configuration: try context.configuration.amqp(connectionName: "conciergectl-queues"), logger: context.logger
        )
        let depths: QueueDepths
        do {
            depths = try await QueueDepths.load(
                context.configuration.topology.fleet().queues.map(\.name), with: publisher)
        } catch {
            await publisher.close()
            throw error
        }
        await publisher.close()
        depths.lines.forEach { print($0) }
    }
}
