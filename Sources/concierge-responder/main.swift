import ConciergeCore
import ConciergeRuntime
import ResponderWorker

// Routed inquiries come from the classifier alone (`responder.producers`).
try await WorkerApp.run(
    name: "responder", queue: FleetNames.responderQueue, topologyFor: { $0.topology.worker(.responder) },
    producersFor: { $0.reader.stringArray(forKey: "responder.producers", default: ["concierge-classifier"]) }
) { context in
    try ResponderSetup.handler(context)
}
