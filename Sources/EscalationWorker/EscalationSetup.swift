import ConciergeCore
public import ConciergeRuntime
public import ServiceLifecycle

/// Builds an escalation process's services from configuration (see `EscalationSettings` for the keys).
public enum EscalationSetup {
    /// The inquiries consumer, the agent events consumer and the dispatcher loop.
    public static func services(_ context: WorkerApp.Context) throws -> [any Service] {
        let settings = EscalationSettings(configuration: context.configuration)
        let metrics = EscalationMetrics()
        // Only its own part of the fleet's topology (its AMQP user may configure nothing else), unless its queues were
        // renamed in configuration.
        let topology =
            settings.queue == FleetNames.escalationQueue && settings.agentEventsQueue == FleetNames.agentEventsQueue
            ? context.configuration.topology.worker(.escalation) : context.configuration.topology.fleet()
        return [
            try context.worker(
                name: EscalationWorker.inquiriesWorkerName, queue: settings.queue, handler: EscalationHandler(settings: settings, metrics: metrics), topology: topology,
                sweeping: [EscalationWorker.dispatcherName],
                // The human lane: routed by the classifier, handed off by the responder (`escalation.producers`).
                producers: context.configuration.reader.stringArray(
                    forKey: "escalation.producers", default: ["concierge-classifier", "concierge-responder"]
                )
            ),
            try context.worker(
                name: EscalationWorker.agentEventsWorkerName, queue: settings.agentEventsQueue,
                handler: AgentEventHandler(settings: settings, metrics: metrics), topology: topology
            ),
            DispatcherService(
                settings: settings, metrics: metrics,
                postgres: try context.configuration.postgres(applicationName: "concierge-\(EscalationWorker.dispatcherName)", worker: true),
                logger: context.logger
            ),
        ]
    }
}
