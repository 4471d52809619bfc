public import ConciergeAMQP
import ConciergeCore
public import Logging

/// The agents connected to this replica and their open tabs.
///
/// When an agent's first tab connects here, the replica's queue is bound to the agent's keys on the outcomes exchange
/// (`offer.agent.<id>`, `conversation.agent.<id>`); when the last tab has been closed for `unbindGrace`, the bindings
/// are removed (a quick reload keeps them). The bindings are made through the replica's consumer, which declares them
/// again with the queue whenever it (re)connects or re-subscribes: after a broker restart, or an outage longer than
/// the queue's `x-expires`, every agent with a tab here is bound again before the first delivery. Nothing else about
/// the agent lives here: presence, offers and conversations are in the database and the broker, so any replica can
/// serve any agent, and an agent with tabs on two replicas gets every message on both.
public actor AgentHub {
    public struct TabID: Hashable, Sendable {
        let value: UInt64
    }

    private let consumer: AMQPConsumer
    private let exchange: String
    private let unbindGrace: Duration
    private let logger: Logger
    private var tabs: [String: [TabID: AsyncStream<String>.Continuation]] = [:]
    private var bound: Set<String> = []
    private var lastTabClosed: [String: ContinuousClock.Instant] = [:]
    private var nextTab: UInt64 = 0
    private var quietUntil: [String: ContinuousClock.Instant] = [:]

    /// - Parameters:
    ///   - consumer: the consumer of this replica's queue; it keeps the agents' bindings.
    ///   - exchange: the exchange the agents' keys are bound on (the fleet's outcomes exchange).
    public init(consumer: AMQPConsumer, exchange: String, unbindGrace: Duration, logger: Logger) {
        self.consumer = consumer
        self.exchange = exchange
        self.unbindGrace = unbindGrace
        self.logger = logger
    }

    /// The routing keys that bring an agent's messages.
    static func keys(_ agentID: String) -> [String] {
        [OfferV1.routingKey(agentID: agentID), AssignmentV1.routingKey(agentID: agentID)]
    }

    /// Registers a tab; binds the agent's keys when this replica did not have them yet. Frames for the tab arrive on
    /// the returned stream (the newest 256 are kept if the tab falls behind).
    public func connect(_ agentID: String) async throws -> (TabID, AsyncStream<String>) {
        self.nextTab += 1
        let id = TabID(value: self.nextTab)
        let (stream, continuation) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingNewest(256))
        self.tabs[agentID, default: [:]][id] = continuation
        self.lastTabClosed[agentID] = nil
        if !self.bound.contains(agentID) {
            self.bound.insert(agentID)
            do {
                for key in Self.keys(agentID) { try await self.consumer.bind(exchange: self.exchange, routingKey: key) }
            } catch {
                self.bound.remove(agentID)
                self.tabs[agentID]?[id] = nil
                if self.tabs[agentID]?.isEmpty == true { self.tabs[agentID] = nil }
                continuation.finish()
                throw error
            }
        }
        return (id, stream)
    }

    /// Removes a tab; the agent's bindings go after `unbindGrace` without tabs (see ``sweep(now:)``).
    public func disconnect(_ agentID: String, _ id: TabID) {
        self.tabs[agentID]?[id]?.finish()
        self.tabs[agentID]?[id] = nil
        if self.tabs[agentID]?.isEmpty == true {
            self.tabs[agentID] = nil
            self.lastTabClosed[agentID] = .now
        }
    }

    /// Sends a frame to every tab of the agent on this replica; returns how many tabs got it.
    @discardableResult
    public func deliver(_ agentID: String, _ frame: String) -> Int {
        guard let tabs = self.tabs[agentID] else { return 0 }
        for continuation in tabs.values { continuation.yield(frame) }
        return tabs.count
    }

    /// The agents with at least one tab here.
    public var connectedAgents: [String] { Array(self.tabs.keys) }

    /// The agents whose keys are bound to this replica's queue.
    public var boundAgents: Set<String> { self.bound }

    /// How many tabs are open here.
    public var tabCount: Int { self.tabs.values.reduce(0) { $0 + $1.count } }

    /// After an `offline` from a tab here, no heartbeat for this agent for a while, so a heartbeat already due cannot
    /// overtake the agent's choice.
    public func quiet(_ agentID: String, for duration: Duration) {
        self.quietUntil[agentID] = .now + duration
    }

    public func isQuiet(_ agentID: String) -> Bool {
        guard let until = self.quietUntil[agentID] else { return false }
        if until <= .now {
            self.quietUntil[agentID] = nil
            return false
        }
        return true
    }

    /// Removes the bindings of agents whose last tab closed more than `unbindGrace` ago.
    public func sweep(now: ContinuousClock.Instant = .now) async {
        let due = self.lastTabClosed.filter { now - $0.value >= self.unbindGrace }.map(\.key)
        for agentID in due {
            self.lastTabClosed[agentID] = nil
            guard self.tabs[agentID] == nil, self.bound.contains(agentID) else { continue }
            self.bound.remove(agentID)
            for key in Self.keys(agentID) {
                do {
                    try await self.consumer.unbind(exchange: self.exchange, routingKey: key)
                } catch {
                    self.logger.warning("Could not unbind", metadata: ["agent.id": "\(agentID)", "error": "\(error)"])
                }
            }
        }
    }

    /// Closes every tab (shutdown).
    public func closeAll() {
        for tabs in self.tabs.values { for continuation in tabs.values { continuation.finish() } }
        self.tabs = [:]
    }
}
