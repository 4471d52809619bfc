import ConciergeCore
import Foundation
import HummingbirdWebSocket
import Logging

/// One tab's WebSocket: the heartbeat of the agent's presence while it is open, the way offers and messages reach
/// the tab, and the way the tab's actions become agent events.
///
/// On connect the tab gets `hello`, the agent's presence, its pending offers and its held conversations with their
/// transcripts (from the database: a reconnecting tab misses nothing). Each text frame is parsed (``AgentAction``);
/// an action about an offer or conversation that is not the session's agent's is refused (`not_yours`) and nothing is
/// published; otherwise the event, stamped with the session's agent id, is published with a confirm and the tab gets
/// `sent` (or `error` `not_sent`). A frame larger than `gateway.ws.max_message_bytes` closes the socket (1009);
/// garbage gets `error` `malformed` and the socket stays open.
struct AgentSocket: Sendable {
    let agentID: String
    let hub: AgentHub
    let reads: AgentReads
    let events: AgentEventPublisher
    let settings: GatewaySettings
    let metrics: GatewayMetrics
    let logger: Logger

    func run(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async throws {
        let (tab, stream) = try await self.hub.connect(self.agentID)
        self.metrics.connected(agents: await self.hub.connectedAgents.count, tabs: await self.hub.tabCount)
        do {
            try await self.serve(stream, inbound: inbound, outbound: outbound)
        } catch {
            await self.hub.disconnect(self.agentID, tab)
            self.metrics.connected(agents: await self.hub.connectedAgents.count, tabs: await self.hub.tabCount)
            throw error
        }
        await self.hub.disconnect(self.agentID, tab)
        self.metrics.connected(agents: await self.hub.connectedAgents.count, tabs: await self.hub.tabCount)
    }

    private func serve(
        _ stream: AsyncStream<String>, inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter
    ) async throws {
        try await outbound.write(.text(ServerFrame.hello(agentID: self.agentID)))
        try await self.sendState(outbound)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await frame in stream { try await outbound.write(.text(frame)) }
            }
            group.addTask {
                var messages = inbound.messages(maxSize: self.settings.maximumMessageBytes).makeAsyncIterator()
                while let message = try await messages.next() {
                    let reply: String
                    var accepted: String?
                    switch message {
                    case .text(let text): (reply, accepted) = await self.handle(text)
                    case .binary: reply = ServerFrame.error("malformed", "frames are JSON text")
                    }
                    try await outbound.write(.text(reply))
                    if let accepted { try await self.openAssigned(offerID: accepted, outbound) }
                }
            }
            // Either side ending (the tab closed, or the stream finished at shutdown) ends the socket.
            try await group.next()
            group.cancelAll()
        }
    }

    /// The state a tab starts from, from the database.
    private func sendState(_ outbound: WebSocketOutboundWriter) async throws {
        if let profile = try await self.reads.profile(self.agentID) {
            try await outbound.write(.text(Self.presence(profile)))
        }
        for offer in try await self.reads.pendingOffers(self.agentID) {
            try await outbound.write(.text(ServerFrame.contract("offer", offer)))
        }
        for held in try await self.reads.heldConversations(self.agentID) {
            try await outbound.write(.text(ServerFrame.conversation(held)))
        }
    }

    static func presence(_ profile: AgentReads.Profile) -> String {
        ServerFrame.presence(
            online: profile.online, surge: SurgeText.multiplier(profile.surgeBasisPoints ?? 10_000),
            load: profile.activeConversations,
            capacity: profile.capacity
        )
    }

    /// After an accept, waits briefly (5 s at most) for the escalation worker's assignment and sends the
    /// conversation from the database, so the tab opens it even before (or without) `assignment.v1`. A late accept
    /// that did not win sends nothing.
    private func openAssigned(offerID: String, _ outbound: WebSocketOutboundWriter) async throws {
        let deadline = ContinuousClock.now + .seconds(5)
        while ContinuousClock.now < deadline {
            if let held = try? await self.reads.heldConversation(offerID: offerID, agentID: self.agentID) {
                try await outbound.write(.text(ServerFrame.conversation(held)))
                return
            }
            try await Task.sleep(for: .milliseconds(150))
        }
    }

    /// Parses, authorizes and publishes one frame; returns the answer for the tab (and the offer id of a published
    /// accept).
    func handle(_ text: String) async -> (String, String?) {
        let answer = await self.answer(text)
        return answer
    }

    private func answer(_ text: String) async -> (String, String?) {
        let frame: AgentAction.Frame
        switch AgentAction.parse(text, agentID: self.agentID) {
        case .failure(let refusal):
            self.metrics.event(nil, .refused(refusal.code))
            return (ServerFrame.error(refusal.code.rawValue, refusal.detail, clientID: refusal.clientID), nil)
        case .success(let parsed):
            frame = parsed
        }
        let event = frame.action.event(
            agentID: self.agentID, messageID: "gw-\(UUID().uuidString.lowercased())", sentAt: Timestamps.format(Date())
        )
        do {
            switch frame.action.subject {
            case .none:
                break
            case .offer(let offerID):
                guard try await self.reads.offerBelongs(offerID, to: self.agentID) else {
                    self.metrics.event(event.event, .notYours)
                    return (
                        ServerFrame.error("not_yours", "that offer was not made to you", clientID: frame.clientID), nil
                    )
                }
            case .conversation(let conversationID):
                guard try await self.reads.conversationHeld(conversationID, by: self.agentID) else {
                    self.metrics.event(event.event, .notYours)
                    return (
                        ServerFrame.error("not_yours", "you do not hold that conversation", clientID: frame.clientID),
                        nil
                    )
                }
            }
        } catch {
            self.metrics.event(event.event, .notSent)
            self.logger.warning(
                "Could not check ownership", metadata: ["agent.id": "\(self.agentID)", "error": "\(error)"])
            return (
                ServerFrame.error("not_sent", "could not check that right now; try again", clientID: frame.clientID),
                nil
            )
        }
        if case .offline = frame.action {
            await self.hub.quiet(self.agentID, for: self.settings.heartbeatInterval * 3)
        }
        switch await self.events.publish(event) {
        case .confirmed:
            self.metrics.event(event.event, .published)
            if case .online = frame.action {
                await self.hub.deliver(
                    self.agentID, ServerFrame.presence(online: true, surge: nil, load: nil, capacity: nil))
            } else if case .offline = frame.action {
                await self.hub.deliver(
                    self.agentID, ServerFrame.presence(online: false, surge: nil, load: nil, capacity: nil))
            }
            var accepted: String?
            if case .accept(let offerID) = frame.action { accepted = offerID }
            return (
                ServerFrame.sent(event: event.event.rawValue, messageID: event.messageID, clientID: frame.clientID),
                accepted
            )
        case .notConfirmed(let why):
            self.metrics.event(event.event, .notSent)
            self.logger.warning(
                "Agent event not confirmed", metadata: ["agent.id": "\(self.agentID)", "error": "\(why)"])
            return (ServerFrame.error("not_sent", "not sent; try again", clientID: frame.clientID), nil)
        }
    }
}
