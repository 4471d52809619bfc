import ConciergeCore
import Foundation
import Logging

/// Every `gateway.heartbeat_seconds`: renews the presence of the agents connected here whom the escalation worker has
/// online (a `heartbeat` event each), tells their tabs the presence the database shows (so a tab never guesses), and
/// removes the bindings of agents gone for longer than the grace. An agent whose tabs all closed stops being renewed
/// here; after `escalation.heartbeat_timeout_ms` without a heartbeat from any replica the escalation worker takes the
/// agent offline.
struct PresenceLoop: Sendable {
    let hub: AgentHub
    let reads: AgentReads
    let events: AgentEventPublisher
    let interval: Duration
    let metrics: GatewayMetrics
    let logger: Logger

    func run() async throws {
        while !Task.isCancelled {
            try await Task.sleep(for: self.interval)
            await self.tick()
        }
    }

    func tick() async {
        await self.hub.sweep()
        let agents = await self.hub.connectedAgents
        self.metrics.connected(agents: agents.count, tabs: await self.hub.tabCount)
        guard !agents.isEmpty else { return }
        do {
            let online = try await self.reads.online(agents)
            for agentID in agents {
                let isOnline = online.contains(agentID)
                await self.hub.deliver(
                    agentID, ServerFrame.presence(online: isOnline, surge: nil, load: nil, capacity: nil))
                guard isOnline, await !self.hub.isQuiet(agentID) else { continue }
                let event = AgentEventV1(
                    messageID: "gw-hb-\(UUID().uuidString.lowercased())", agentID: agentID, event: .heartbeat,
                    sentAt: Timestamps.format(Date())
                )
                if case .notConfirmed(let why) = await self.events.publish(event) {
                    self.metrics.event(.heartbeat, .notSent)
                    self.logger.warning(
                        "Heartbeat not confirmed", metadata: ["agent.id": "\(agentID)", "error": "\(why)"])
                } else {
                    self.metrics.event(.heartbeat, .published)
                }
            }
        } catch {
            self.logger.warning("Presence check failed", metadata: ["error": "\(error)"])
        }
    }
}
