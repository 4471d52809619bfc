import ConciergeCore
import ConciergeRuntime
import PayoutWorker

try await WorkerApp.run(name: PayoutWorker.name, queue: FleetNames.payoutQueue) { context in
    try await PayoutSetup.handler(context)
}
