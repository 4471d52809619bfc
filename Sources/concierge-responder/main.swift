import ConciergeRuntime
import ResponderWorker

// Routed inquiries come from the classifier alone (`responder.producers`).
try await WorkerApp.run(ResponderWorker.self)
