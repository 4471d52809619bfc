import ArgumentParser
import ConciergeAMQP
import ConciergeRuntime
import Foundation

struct TopologyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topology",
        abstract: "Declare the fleet's exchanges, queues and bindings, or print them as a RabbitMQ definitions file."
    )

    @Flag(help: "Print the topology as a RabbitMQ definitions JSON document instead of declaring it.")
    var definitions = false

    @Option(help: "Virtual host used in the definitions document.")
    var vhost = "/"

    @Option(help: "The fleet's users and permissions, written into the definitions document (tab-separated, see the file).")
    var users = "config/rabbitmq-users.tsv"

    func run() async throws {
        let context = try await CommandContext.make()
        let topology = context.configuration.topology.fleet()
        if self.definitions {
            let users = try RabbitMQUsers.parse(try String(contentsOfFile: self.users, encoding: .utf8))
            print(topology.definitionsJSON(vhost: self.vhost, users: users), terminator: "")
            return
        }
        let publisher = try await AMQPPublisher.connect(
            configuration: try context.configuration.amqp(connectionName: "conciergectl-topology"), logger: context.logger
        )
        try await publisher.declare(topology)
        await publisher.close()
        print("topology: declared \(topology.exchanges.count) exchanges, \(topology.queues.count) queues, \(topology.bindings.count) bindings")
    }
}
