import ArgumentParser
import Foundation

/// `conciergectl`: migrations, topology, publishing, queue inspection, training, routing, reports and benchmarks.
@main
struct Conciergectl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conciergectl",
        abstract: "Operate the Concierge worker fleet.",
        discussion: """
            Configuration comes from environment variables over config/concierge.yaml (CONCIERGE_CONFIG to \
            point elsewhere): AMQP_URL, POSTGRES_URL, ... The CLI logs warnings and errors only; --verbose (anywhere \
            on the command line) or LOG_LEVEL=info|debug|trace shows more.
            """,
        subcommands: [
            MigrateCommand.self, TopologyCommand.self, PublishCommand.self, QueuesCommand.self,
            SeedCommand.self, SeedFactsCommand.self, TrainCommand.self, EvalCommand.self, RouteCommand.self,
            ReportCommand.self,
            DeadLettersCommand.self, AgentsCommand.self, ConversationCommand.self, SimulateCommand.self,
            PayoutsCommand.self, BenchCommand.self,
            WorkerCommand.self, CustomersCommand.self, RetentionCommand.self, DemoCommand.self,
        ]
    )

    /// `--verbose` anywhere on the command line raises the log level to info (unless LOG_LEVEL says otherwise), for
    /// every subcommand alike; it is taken out before the subcommand parses its own arguments.
    static func main() async {
        var arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.contains("--verbose") {
            arguments.removeAll { $0 == "--verbose" }
            setenv("LOG_LEVEL", ProcessInfo.processInfo.environment["LOG_LEVEL"] ?? "info", 1)
        }
        await Self.main(arguments)
    }
}

/// `conciergectl bench …`
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks that print figures.",
        subcommands: [
            BenchPassthroughCommand.self, BenchClassifierCommand.self, BenchRoutingCommand.self,
            BenchResponderCommand.self,
            BenchPipelineCommand.self, BenchGatewayCommand.self,
        ]
    )
}

/// `conciergectl worker …`: run a worker in this process (the pass-through worker for benchmarks and tests).
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run a worker in this process.",
        subcommands: [PassthroughWorkerCommand.self]
    )
}

/// `conciergectl simulate …`
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Simulations over the real broker.",
        subcommands: [SimulateAgentsCommand.self]
    )
}
