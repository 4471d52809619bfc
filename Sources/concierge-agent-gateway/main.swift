import AgentGateway
import ConciergeRuntime

// The agent app: sign-in, pages and WebSocket for gig agents, speaking AMQP to the escalation worker (see
// AgentGateway.GatewayService and GatewaySettings for the keys).
try await WorkerApp.run(name: "agent-gateway") { context in
    let settings = GatewaySettings(configuration: context.configuration)
    return [
        GatewayService(
            settings: settings,
            amqp: try context.configuration.amqp(connectionName: "concierge-agent-gateway-\(settings.replicaID)"),
            postgres: try context.configuration.postgres(applicationName: "concierge-agent-gateway"),
            health: context.health, logger: context.logger
        )
    ]
}
