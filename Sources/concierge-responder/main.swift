import ConciergeCore
import ConciergeRuntime
import ResponderWorker

try await WorkerApp.run(name: "responder", queue: FleetNames.responderQueue) { context in
    try ResponderSetup.handler(context)
}
