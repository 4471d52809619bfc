public import ConciergeRuntime
public import ServiceLifecycle

/// Builds an escalation process's services from configuration (see `EscalationSettings` for the keys).
public enum EscalationSetup {
    /// The inquiries consumer, the agent events consumer and the dispatcher loop.
    public static func services(_ context: WorkerApp.Context) throws -> [any Service] {
        let settings = EscalationSettings(configuration: context.configuration)
        return [
            try context.worker(
                name: EscalationWorker.inquiriesWorkerName, queue: settings.queue, handler: EscalationHandler(settings: settings)
            ),
            try context.worker(
                name: EscalationWorker.agentEventsWorkerName, queue: settings.agentEventsQueue,
                handler: AgentEventHandler(settings: settings)
            ),
            DispatcherService(
                settings: settings,
                postgres: try context.configuration.postgres(applicationName: "concierge-\(EscalationWorker.dispatcherName)", worker: true),
                logger: context.logger
            ),
        ]
    }
}
