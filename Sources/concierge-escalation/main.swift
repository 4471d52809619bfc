import ConciergeCore
import ConciergeRuntime

// The escalation worker is still a shell: it drains its lane and records what it took (see RecordingHandler).
try await WorkerApp.run(name: "escalation", queue: FleetNames.escalationQueue) { _ in
    RecordingHandler(worker: "escalation")
}
