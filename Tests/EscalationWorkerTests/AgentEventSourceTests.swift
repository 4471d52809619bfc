import ConciergeCore
import ConciergeRuntime
import EscalationWorker
import Testing

@Suite struct AgentEventSourceTests {
    let source = AgentEventSource(allowedUsers: ["concierge-gateway", "partner-app"])

    @Test(arguments: ["concierge-gateway", "partner-app"])
    func agentEventFromAnAgentAppUserIsAccepted(user: String) throws {
        try source.check(schema: .agentEventV1, userID: user)
    }

    @Test(arguments: [nil, "concierge", "guest", "Concierge-Gateway", ""] as [String?])
    func forgedAgentEventIsRefused(user: String?) {
        #expect(throws: ContractError.self) { try source.check(schema: .agentEventV1, userID: user) }
        do {
            try source.check(schema: .agentEventV1, userID: user)
        } catch {
            #expect(error.code == .untrustedSender)
            #expect(error.code.rawValue == "untrusted_sender")
        }
    }

    @Test(arguments: [MessageSchema.feedbackV1, .agentAppliedV1])
    func customerSideMessagesAreNotChecked(schema: MessageSchema) throws {
        try source.check(schema: schema, userID: nil)
        try source.check(schema: schema, userID: "concierge")
    }

    @Test func inboundMessageCarriesTheUser() throws {
        let message = InboundMessage(messageID: "m-1", routingKey: "agent.a.online", body: [], userID: "concierge")
        #expect(throws: ContractError.self) { try source.check(message, schema: .agentEventV1) }
        let trusted = InboundMessage(messageID: "m-2", routingKey: "agent.a.online", body: [], userID: "partner-app")
        try source.check(trusted, schema: .agentEventV1)
    }

    @Test func defaultIsTheGatewayUser() {
        #expect(AgentEventSource().allowedUsers == ["concierge-gateway"])
    }
}
