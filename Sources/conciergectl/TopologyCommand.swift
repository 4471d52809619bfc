import ArgumentParser
import ConciergeAMQP
import ConciergeRuntime

struct TopologyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topology",
        abstract: "Declare the fleet's exchanges, queues and bindings, or print them as a RabbitMQ definitions file."
    )

    @Flag(help: "Print the topology as a RabbitMQ definitions JSON document instead of declaring it.")
    var definitions = false

    @Option(help: "Virtual host used in the definitions document.")
    var vhost = "/"

    func run() async throws {
        let context = try await CommandContext.make()
        let topology = context.configuration.topology.fleet()
        if self.definitions {
            print(topology.definitionsJSON(vhost: self.vhost), terminator: "")
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
