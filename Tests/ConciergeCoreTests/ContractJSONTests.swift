import ConciergeCore
import ConciergeSupport
import Foundation
import Testing

/// The hand-written contract encodings must write exactly what JSONEncoder (sorted keys, unescaped slashes) writes.
struct ContractJSONTests {
    /// Strings with what JSON escaping has to get right: quotes, backslashes, slashes, every control character,
    /// non-ASCII text and emoji.
    static let awkward: [String] = [
        "", "plain", "quote \" inside", "back\\slash", "a/b/c", "tab\there", "line\nbreak\r\n", "\u{08}\u{0C}",
        String((0..<32).map { Character(Unicode.Scalar(UInt8($0))) }), "\u{7F} del", "Grüße, ¿qué tal? 日本語 🙂",
        "\u{2028}\u{2029}", "ends with backslash \\",
    ]

    struct Random {
        var generator: SplitMix64
        init(state: UInt64) { self.generator = SplitMix64(seed: state) }
        mutating func next() -> UInt64 { self.generator.next() }
        mutating func string() -> String {
            ContractJSONTests.awkward[Int(self.next() % UInt64(ContractJSONTests.awkward.count))]
        }
        mutating func optional() -> String? { self.next() % 3 == 0 ? nil : self.string() }
        mutating func bool() -> Bool { self.next() % 2 == 0 }
        mutating func strings() -> [String] { (0..<Int(self.next() % 4)).map { _ in self.string() } }
        mutating func facts() -> [HandoffSummary.Fact] {
            (0..<Int(self.next() % 4)).map { _ in
                HandoffSummary.Fact(kind: self.string(), id: self.string(), summary: self.string())
            }
        }
        mutating func confidence() -> Double {
            [0, 1, 0.5, 0.9997188448905945, 1e-7, 0.1 + 0.2, 123456789.0, 3.0e-300][Int(self.next() % 8)]
        }
    }

    static func inquiry(_ random: inout Random) -> InquiryV1 {
        var inquiry = InquiryV1(
            messageID: random.string(), conversationID: random.optional(), customerID: random.string(),
            channel: random.string(),
            language: random.optional(), text: random.string(), sentAt: random.string(), inReplyTo: random.optional()
        )
        inquiry.schema = random.string()
        return inquiry
    }

    static func handoff(_ random: inout Random) -> HandoffSummary {
        HandoffSummary(
            reason: random.string(), summary: random.string(), facts: random.facts(), aiReply: random.optional())
    }

    static func reply(_ random: inout Random) -> ReplyV1 {
        ReplyV1(
            messageID: random.string(), inquiryID: random.string(), conversationID: random.string(),
            customerID: random.string(),
            channel: random.string(), language: random.string(), intent: random.string(), kind: random.string(),
            text: random.string(),
            citations: random.strings(), facts: random.facts(), backend: random.string(), repliedAt: random.string()
        )
    }

    @Test func routedInquiriesMatchJSONEncoder() {
        var random = Random(state: 1)
        for _ in 0..<300 {
            let routed = RoutedInquiryV1(
                messageID: random.string(), inquiry: Self.inquiry(&random),
                decision: .init(
                    route: random.bool() ? .ai : .human, priority: random.bool() ? .normal : .urgent,
                    intent: random.optional(),
                    confidence: random.confidence(), reasons: random.strings(), sensitive: random.bool(),
                    complexity: random.string(),
                    skills: random.strings(), language: random.string(), vip: random.bool(),
                    assignedAgentID: random.optional()
                ),
                handoff: random.bool() ? Self.handoff(&random) : nil
            )
            #expect(
                String(decoding: routed.encodedBody(), as: UTF8.self)
                    == String(decoding: routed.encodedBodyWithJSONEncoder(), as: UTF8.self))
        }
    }

    @Test func repliesAndHandoffsMatchJSONEncoder() {
        var random = Random(state: 2)
        for _ in 0..<300 {
            let reply = Self.reply(&random)
            #expect(
                String(decoding: reply.encodedBody(), as: UTF8.self)
                    == String(decoding: reply.encodedBodyWithJSONEncoder(), as: UTF8.self))
            let handoff = HandoffV1(
                messageID: random.string(), inquiryID: random.string(), conversationID: random.string(),
                customerID: random.string(),
                channel: random.string(), intent: random.optional(), handoff: Self.handoff(&random),
                handedOffAt: random.string()
            )
            #expect(
                String(decoding: handoff.encodedBody(), as: UTF8.self)
                    == String(decoding: handoff.encodedBodyWithJSONEncoder(), as: UTF8.self))
        }
    }

    @Test func inquiriesAndFactArraysMatchJSONEncoder() throws {
        var random = Random(state: 3)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for _ in 0..<300 {
            let inquiry = Self.inquiry(&random)
            #expect(
                String(decoding: inquiry.encodedBody(), as: UTF8.self)
                    == String(decoding: inquiry.encodedBodyWithJSONEncoder(), as: UTF8.self))
            let facts = random.facts()
            var writer = JSONWriter()
            facts.write(to: &writer)
            #expect(
                String(decoding: writer.bytes, as: UTF8.self)
                    == String(decoding: try encoder.encode(facts), as: UTF8.self))
        }
    }

    @Test func writtenBodiesDecodeBackToTheSameValue() throws {
        var random = Random(state: 4)
        for _ in 0..<100 {
            let reply = Self.reply(&random)
            #expect(try JSONDecoder().decode(ReplyV1.self, from: Data(reply.encodedBody())) == reply)
        }
    }
}
