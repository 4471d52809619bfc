import ConciergeCore
import ConciergeRuntime

// The payout worker is still a shell: it drains its lane and records what it took (see RecordingHandler).
try await WorkerApp.run(name: "payout", queue: FleetNames.payoutQueue) { _ in
    RecordingHandler(worker: "payout")
}
