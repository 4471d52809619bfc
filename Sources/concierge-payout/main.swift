import ConciergeRuntime
import PayoutWorker

// Its events come from the escalation worker alone (`payout.producers`, also checked by PayoutHandler.decode).
try await WorkerApp.run(PayoutWorker.self)
