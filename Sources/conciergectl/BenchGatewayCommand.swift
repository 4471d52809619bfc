import ArgumentParser
import ConciergeAdmin
import ConciergeBench
import Foundation

/// `conciergectl bench gateway`: offer and customer-message delivery over the agent app's WebSocket through real
/// `concierge-agent-gateway` replicas, and memory per connected agent (see `GatewayBenchmark` for the method).
struct BenchGatewayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateway",
        abstract: "Time offer and customer-message delivery over the agent app's WebSocket; memory per connected agent."
    )

    @Option(help: "Connected agents (one WebSocket each).")
    var agents = 200

    @Option(help: "Gateway replicas (processes), agents spread over them.")
    var replicas = 2

    @Option(help: "Measured rounds; each sends every agent one offer, then one customer message.")
    var rounds = 10

    @Option(help: "Then single deliveries, one at a time (each waits for the previous), alternating offer and message.")
    var singles = 400

    @Option(
        help: "The gateway's AMQP URL (its own user). Default: concierge-gateway:concierge-gateway on amqp.url's host.")
    var gatewayAMQPURL: String?

    @Option(help: "The gateway executable. Default: concierge-agent-gateway next to conciergectl.")
    var gatewayBinary: String?

    func run() async throws {
        let context = try await CommandContext.make()
        let binary =
            self.gatewayBinary
            ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(
                "concierge-agent-gateway"
            ).path
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw ValidationError("no gateway executable at \(binary)")
        }
        guard self.agents > 0, self.replicas > 0, self.rounds > 0 else {
            throw ValidationError("agents, replicas and rounds must be positive")
        }
        let benchmark = GatewayBenchmark(
            agents: self.agents, replicas: self.replicas, rounds: self.rounds, singles: self.singles,
            gatewayAMQPURL: self.gatewayAMQPURL,
            gatewayBinary: binary
        )
        let delivered: Bool
        do {
            delivered = try await benchmark.run(configuration: context.configuration, logger: context.logger)
        } catch let error as BenchError {
            throw ValidationError(error.description)
        }
        if !delivered { throw ExitCode(1) }
    }
}
