import ConciergeCore
import ConciergeRuntime

// The responder worker is still a shell: it drains its lane and records what it took (see RecordingHandler).
try await WorkerApp.run(name: "responder", queue: FleetNames.responderQueue) { _ in
    RecordingHandler(worker: "responder")
}
