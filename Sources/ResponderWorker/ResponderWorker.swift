/// Namespace of the responder worker (filled in by its issue).
public enum ResponderWorker {}
