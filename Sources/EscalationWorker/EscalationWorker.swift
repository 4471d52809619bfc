/// Namespace of the escalation worker (filled in by its issue).
public enum EscalationWorker {}
