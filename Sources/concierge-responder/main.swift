import ConciergeCore
import ConciergeRuntime
import ResponderWorker

try await WorkerApp.run(name: "responder", queue: FleetNames.responderQueue, topologyFor: { $0.topology.worker(.responder) }) { context in
    try ResponderSetup.handler(context)
}
