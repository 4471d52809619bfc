import Foundation
import Synchronization

/// The dedicated thread of one ``PostgresConnection`` and its job queue.
///
/// Every libpq call happens on this thread, never on Swift's cooperative pool. Jobs run one at a time in submission
/// order. A job gets the thread's ``PostgresSession`` and returns a completion that the thread calls *after* it has
/// released the job closure: callers resume their continuation there, so a closure captured by a job (such as a
/// transaction body passed through `withoutActuallyEscaping`) is provably no longer referenced when they resume.
final class PostgresWorker: Sendable {
    typealias Completion = @Sendable () -> Void
    typealias Job = @Sendable (PostgresSession) -> Completion

    private struct State {
        var jobs: [Job] = []
        /// False once the final job (close) was accepted; later submissions are refused.
        var accepting = true
    }

    private let state = Mutex(State())
    /// Counts queued jobs: the thread sleeps on it while the queue is empty.
    private let available = DispatchSemaphore(value: 0)

    init() {}

    /// Starts the thread (once); `makeSession` runs on it, before the first job.
    func start(name: String, makeSession: @escaping @Sendable (PostgresWorker) -> PostgresSession) {
        let thread = Thread { [self] in
            let session = makeSession(self)
            self.run(session)
        }
        thread.name = name
        thread.start()
    }

    /// Queues a job; false (and the job is dropped unrun) once the worker is closing.
    func submit(_ job: @escaping Job) -> Bool {
        enqueue(job, final: false)
    }

    /// Queues the last job: the thread exits after running it. False if a final job was already queued.
    func submitFinal(_ job: @escaping Job) -> Bool {
        enqueue(job, final: true)
    }

    /// True once the final job has been queued; long waits (reconnect backoff) check it to stop early.
    var isClosing: Bool {
        state.withLock { !$0.accepting }
    }

    private func enqueue(_ job: @escaping Job, final: Bool) -> Bool {
        let accepted = state.withLock { state in
            guard state.accepting else { return false }
            state.jobs.append(job)
            if final { state.accepting = false }
            return true
        }
        if accepted { available.signal() }
        return accepted
    }

    private func run(_ session: PostgresSession) {
        while true {
            available.wait()
            let (completion, isLast) = runNext(session)
            completion()
            if isLast { return }
        }
    }

    /// Pops and runs one job, letting go of the job closure before its completion is called.
    private func runNext(_ session: PostgresSession) -> (Completion, Bool) {
        let (job, isLast) = state.withLock { state -> (Job, Bool) in
            let job = state.jobs.removeFirst()
            return (job, !state.accepting && state.jobs.isEmpty)
        }
        return (job(session), isLast)
    }
}
