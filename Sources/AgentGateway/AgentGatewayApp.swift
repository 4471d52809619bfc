public import ConciergeRuntime
public import ServiceLifecycle

/// The agent app's gateway (`concierge-agent-gateway`): sign-in, pages and WebSocket for gig agents, speaking AMQP to
/// the escalation worker (``GatewayService``). Set up as every worker is (``WorkerRecipe``).
public enum AgentGatewayApp: WorkerRecipe {
    public static let name = "agent-gateway"

    /// See ``GatewaySettings`` for the keys.
    public typealias Settings = GatewaySettings

    public static func settings(from configuration: FleetConfiguration) -> GatewaySettings {
        GatewaySettings(configuration: configuration)
    }

    public static func services(settings: GatewaySettings, context: WorkerApp.Context) throws -> [any Service] {
        [
            GatewayService(
                settings: settings,
                amqp: try context.configuration.amqp(connectionName: "concierge-\(self.name)-\(settings.replicaID)"),
                postgres: try context.configuration.postgres(applicationName: "concierge-\(self.name)"),
                health: context.health, metrics: GatewayMetrics(), logger: context.logger
            )
        ]
    }
}
