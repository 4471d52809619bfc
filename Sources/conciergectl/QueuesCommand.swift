import ArgumentParser
import ConciergeAMQP
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
        let names = context.configuration.topology.fleet().queues.map(\.name)
        let width = names.map(\.count).max() ?? 10
        print("\("queue".padding(toLength: width, withPad: " ", startingAt: 0))  messages  consumers")
        for name in names {
            let status = try await publisher.queueStatus(name)
            let messages = status.map { String($0.messageCount) } ?? "-"
            let consumers = status.map { String($0.consumerCount) } ?? "(missing)"
            print(
                "\(name.padding(toLength: width, withPad: " ", startingAt: 0))  \(messages.leftPadded(to: 8))  \(consumers.leftPadded(to: 9))"
            )
        }
        await publisher.close()
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        self.count >= width ? self : String(repeating: " ", count: width - self.count) + self
    }
}
