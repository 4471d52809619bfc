/// The escalation worker: dispatches human-lane conversations to gig agents recruited from the customer base.
///
/// Three services run in each escalation process (`EscalationSetup.services`):
/// - `EscalationHandler` consumes `routed_inquiry.v1` from `concierge.escalation` and puts conversations in the
///   waiting line (or records a follow-up, or a reopen);
/// - `AgentEventHandler` consumes `concierge.agent-events`: presence, accept/decline, messages, resolutions, feedback
///   and applications;
/// - `DispatcherService` is the timer loop: it expires offers, takes silent agents offline, counts SLA breaches and
///   offers waiting conversations to the best available agents. Every timer lives in PostgreSQL and every step
///   takes its rows with `FOR UPDATE SKIP LOCKED`, so any number of escalation processes can run at once.
public enum EscalationWorker {
    /// Worker names (inbox consumer keys, metric dimensions).
    public static let inquiriesWorkerName = "escalation"
    public static let agentEventsWorkerName = "escalation-agent-events"
    public static let dispatcherName = "escalation-dispatcher"
}
