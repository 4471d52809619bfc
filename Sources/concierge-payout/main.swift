import ConciergeCore
import ConciergeRuntime
import PayoutWorker

// Its events come from the escalation worker alone (`payout.producers`, also checked by PayoutHandler.decode).
try await WorkerApp.run(
    name: PayoutWorker.name, queue: FleetNames.payoutQueue, topologyFor: { $0.topology.worker(.payout) },
    producersFor: { $0.reader.stringArray(forKey: "payout.producers", default: PayoutHandler.defaultProducers) }
) { context in
    try await PayoutSetup.handler(context)
}
