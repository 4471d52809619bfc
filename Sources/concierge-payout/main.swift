import ConciergeCore
import ConciergeRuntime
import PayoutWorker

try await WorkerApp.run(name: PayoutWorker.name, queue: FleetNames.payoutQueue, topologyFor: { $0.topology.worker(.payout) }) { context in
    try await PayoutSetup.handler(context)
}
