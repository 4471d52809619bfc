import ConciergeCore
import Foundation
import Testing

/// Agent events are parsed into one case per event with the fields it has: no optional left to unwrap downstream.
@Suite struct AgentEventTests {
    func decode(_ json: String) throws(ContractError) -> AgentEvent {
        try AgentEvent(ContractDecoder().decode(AgentEventV1.self, from: Array(json.utf8)))
    }

    func event(_ fields: String) -> String {
        #"{"schema":"agent_event.v1","message_id":"m1","agent_id":"agt_1","sent_at":"2026-12-07T10:00:00Z","# + fields
            + "}"
    }

    @Test func everyEventParsesIntoItsOwnCase() throws {
        #expect(try self.decode(self.event(#""event":"online""#)).action == .online)
        #expect(try self.decode(self.event(#""event":"accept","offer_id":"o1""#)).action == .accept(offerID: "o1"))
        #expect(
            try self.decode(self.event(#""event":"decline","offer_id":"o1","reason":"busy""#)).action
                == .decline(offerID: "o1", reason: "busy"))
        #expect(
            try self.decode(self.event(#""event":"message","conversation_id":"c1","text":"Hi, I'm on it""#)).action
                == .message(conversationID: "c1", text: "Hi, I'm on it")
        )
        #expect(
            try self.decode(self.event(#""event":"resolve","conversation_id":"c1","outcome":"unresolved""#)).action
                == .resolve(conversationID: "c1", outcome: .unresolved)
        )
        #expect(
            try self.decode(self.event(#""event":"transfer","conversation_id":"c1","skill":"fraud""#)).action
                == .transfer(conversationID: "c1", skill: "fraud", note: nil)
        )
        let parsed = try self.decode(self.event(#""event":"heartbeat""#))
        #expect(parsed.sentAt == Date(timeIntervalSince1970: 1_796_637_600))
        #expect(parsed.agentID == "agt_1")
    }

    @Test func aMissingFieldOrABadOutcomeIsASchemaViolationNamingIt() {
        let cases = [
            (#""event":"accept""#, "offer_id"),
            (#""event":"decline","offer_id":"o1""#, "reason"),
            (#""event":"message","conversation_id":"c1""#, "text"),
            (#""event":"resolve","conversation_id":"c1""#, "outcome"),
            (#""event":"resolve","conversation_id":"c1","outcome":"maybe""#, "outcome"),
            (#""event":"transfer""#, "conversation_id"),
        ]
        for (fields, named) in cases {
            #expect(throws: ContractError.self) { try self.decode(self.event(fields)) }
            do {
                _ = try self.decode(self.event(fields))
            } catch {
                #expect(error.code == .schemaViolation)
                #expect(error.detail.contains(named), "\(fields): \(error.detail)")
            }
        }
    }
}
