import ArgumentParser
import ConciergeAMQP
import ConciergeAdmin
import ConciergeCore
import ConciergeRuntime
import Foundation

struct TopologyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topology",
        abstract: "Declare the fleet's exchanges, queues and bindings, or print them as a RabbitMQ definitions file.",
        discussion: """
            The dead-letter queue's bound is a RabbitMQ policy, which AMQP cannot set: it is in the definitions \
            document, and --policy prints the rabbitmqctl command that sets it.
            Upgrading from classic retry tiers (concierge.retry.<delay>): the quorum tiers have new names \
            (concierge.retry.quorum.<delay>), so declaring them never conflicts; once no worker of the old version \
            runs, --remove-legacy-retry-tiers deletes each old tier queue that is empty (and its exchange), and \
            leaves one that still holds messages (run it again after its longest delay).
            """
    )

    @Flag(help: "Print the topology as a RabbitMQ definitions JSON document instead of declaring it.")
    var definitions = false

    @Flag(
        help: "Print the rabbitmqctl command that sets the dead-letter queue's bound (a policy) instead of declaring.")
    var policy = false

    @Flag(help: "After declaring, delete the classic retry tiers of earlier versions that are empty.")
    var removeLegacyRetryTiers = false

    @Option(help: "Virtual host used in the definitions document.")
    var vhost = "/"

    @Option(
        help: "The fleet's users and permissions, written into the definitions document (tab-separated, see the file).")
    var users = "config/rabbitmq-users.tsv"

    func run() async throws {
        let context = try await CommandContext.make()
        let fleet = context.configuration.topology
        let topology = fleet.fleet()
        if self.definitions {
            let users = try RabbitMQUsers.load(path: self.users)
            print(
                topology.definitionsJSON(vhost: self.vhost, users: users, policies: [fleet.deadLetterPolicy]),
                terminator: "")
            return
        }
        if self.policy {
            print(
                ShellCommandLine.line(["rabbitmqctl"] + fleet.deadLetterPolicy.rabbitmqctlArguments(vhost: self.vhost)))
            return
        }
        let publisher = try await AMQPPublisher.connect(
            configuration: try context.configuration.amqp(connectionName: "conciergectl-topology"),
            logger: context.logger
        )
        try await publisher.declare(topology)
        print(
            "topology: declared \(topology.exchanges.count) exchanges, \(topology.queues.count) queues, \(topology.bindings.count) bindings"
        )
        if self.removeLegacyRetryTiers {
            for line in await LegacyRetryTiers.removeEmpty(fleet.retryTiers, with: publisher) { print(line) }
        }
        await publisher.close()
    }
}
