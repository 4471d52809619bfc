import ConciergeCore
public import ConciergeRuntime
public import ServiceLifecycle

/// The escalation worker: dispatches human-lane conversations to gig agents recruited from the customer base.
///
/// Three services run in each escalation process (``services(settings:context:)``):
/// - `EscalationHandler` consumes `routed_inquiry.v1` from `concierge.escalation` and puts conversations in the
///   waiting line (or records a follow-up, or a reopen);
/// - `AgentEventHandler` consumes `concierge.agent-events`: presence, accept/decline, messages, resolutions, feedback
///   and applications;
/// - `DispatcherService` is the timer loop: it expires offers, takes silent agents offline, counts SLA breaches and
///   offers waiting conversations to the best available agents. Every timer lives in PostgreSQL and every step
///   takes its rows with `FOR UPDATE SKIP LOCKED`, so any number of escalation processes can run at once.
public enum EscalationWorker: WorkerRecipe {
    public static let name = "escalation"

    /// Worker names (inbox consumer keys, metric dimensions).
    public static let inquiriesWorkerName = name
    public static let agentEventsWorkerName = "escalation-agent-events"
    public static let dispatcherName = "escalation-dispatcher"

    /// See ``EscalationSettings`` for the keys.
    public typealias Settings = EscalationSettings

    public static func settings(from configuration: FleetConfiguration) throws -> EscalationSettings {
        try EscalationSettings(configuration: configuration)
    }

    /// The inquiries consumer, the agent events consumer and the dispatcher loop, sharing one ``EscalationMetrics``.
    public static func services(settings: EscalationSettings, context: WorkerApp.Context) throws -> [any Service] {
        let metrics = EscalationMetrics()
        // Only its own part of the fleet's topology (its AMQP user may configure nothing else), unless its queues were
        // renamed in configuration.
        let topology =
            settings.queue == FleetNames.escalationQueue && settings.agentEventsQueue == FleetNames.agentEventsQueue
            ? context.configuration.topology.worker(.escalation) : context.configuration.topology.fleet()
        return [
            try context.worker(
                name: self.inquiriesWorkerName, queue: settings.queue,
                handler: EscalationHandler(settings: settings, metrics: metrics),
                topology: topology, sweeping: [self.dispatcherName], producers: settings.producers
            ),
            try context.worker(
                name: self.agentEventsWorkerName, queue: settings.agentEventsQueue,
                handler: AgentEventHandler(settings: settings, metrics: metrics), topology: topology
            ),
            DispatcherService(
                settings: settings, metrics: metrics,
                postgres: try context.configuration.postgres(
                    applicationName: "concierge-\(self.dispatcherName)", worker: true),
                logger: context.logger
            ),
        ]
    }
}
