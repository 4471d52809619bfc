import ConciergeRuntime
import EscalationWorker

// Human-lane dispatch: waiting line, offers to gig agents, assignments, resolutions (see EscalationWorker).
try await WorkerApp.run(EscalationWorker.self)
