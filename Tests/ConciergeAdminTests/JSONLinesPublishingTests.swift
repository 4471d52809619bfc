import ConciergeAMQP
import Testing

@testable import ConciergeAdmin

/// What `conciergectl publish` makes of a line: published as it is, typed and routed by its own fields.
@Suite struct JSONLinesPublishingTests {
    @Test func aContractLineIsTypedAndRoutedByItsChannel() {
        let publishing = JSONLinesPublishing(exchange: "concierge.inquiries", routingKey: nil, batch: 500)
        let line = #"{"schema":"inquiry.v1","message_id":"m-1","channel":"email","text":"hi"}"#
        let message = publishing.message(for: line)
        #expect(message.exchange == "concierge.inquiries")
        #expect(message.routingKey == "inquiry.email")
        #expect(message.body == Array(line.utf8))
        #expect(message.properties.messageId == "m-1")
        #expect(message.properties.type == "inquiry.v1")
        #expect(message.properties.persistent)
    }

    /// Bad input is published too: the fleet dead-letters it with a reason, which is how the demo shows it.
    @Test func anInvalidLineGoesOutUntypedToTheUnknownChannel() {
        let message = JSONLinesPublishing(exchange: "x", routingKey: nil, batch: 1).message(for: "not json")
        #expect(message.routingKey == "inquiry.unknown")
        #expect(message.properties.messageId == nil)
        #expect(
            JSONLinesPublishing(exchange: "x", routingKey: "fixed", batch: 1).message(for: "{}").routingKey == "fixed")
    }

    @Test func blankLinesAreSkipped() {
        #expect(JSONLinesPublishing.lines("a\n\n  \nb\n").map(String.init) == ["a", "b"])
    }
}
