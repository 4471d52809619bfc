import Synchronization

/// Liveness and readiness of a worker, as served on `/healthz` and `/readyz`.
///
/// Liveness means the consume loop is turning (it ticks at least every 250 ms, even when idle); it says nothing about
/// the broker or the database, so a broker outage does not get healthy pods restarted. Readiness means connected and
/// consuming.
public final class WorkerHealth: Sendable {
    private struct State {
        var lastTick: ContinuousClock.Instant?
        var readiness: [String: @Sendable () -> Bool] = [:]
    }

    private let state = Mutex(State())
    /// The loop is considered stuck when it has not ticked for this long.
    public let livenessTimeout: Duration

    public init(livenessTimeout: Duration = .seconds(30)) {
        self.livenessTimeout = livenessTimeout
    }

    public func tick() {
        self.state.withLock { $0.lastTick = .now }
    }

    /// Sets the readiness check of one component (a worker's consumer, a dispatcher…). Ready means every
    /// registered component is ready, and at least one is registered.
    public func setReadiness(_ component: String = "worker", _ readiness: @escaping @Sendable () -> Bool) {
        self.state.withLock { $0.readiness[component] = readiness }
    }

    /// Alive until the loop has started; then while it keeps ticking.
    public var isAlive: Bool {
        guard let lastTick = self.state.withLock({ $0.lastTick }) else { return true }
        return ContinuousClock.now - lastTick < self.livenessTimeout
    }

    public var isReady: Bool {
        let checks = self.state.withLock { Array($0.readiness.values) }
        return !checks.isEmpty && checks.allSatisfy { $0() }
    }
}
