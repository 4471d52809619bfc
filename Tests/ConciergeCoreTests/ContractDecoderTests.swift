import ConciergeCore
import Testing

@Suite struct ContractDecoderTests {
    let decoder = ContractDecoder(maximumBodySize: 2048)

    func body(_ json: String) -> [UInt8] { Array(json.utf8) }

    let valid = """
        {"schema":"inquiry.v1","message_id":"m-1","customer_id":"cus_1","channel":"chat","text":"where is my refund",\
        "sent_at":"2026-11-27T10:00:00Z"}
        """

    @Test func decodesAValidInquiry() throws {
        let inquiry = try decoder.decode(InquiryV1.self, from: body(valid))
        #expect(inquiry.messageID == "m-1")
        #expect(inquiry.conversation == "m-1")
        #expect(inquiry.language == nil)
    }

    @Test func encodedInquiryRoundTrips() throws {
        let inquiry = InquiryV1(
            messageID: "m-2", conversationID: "c-2", customerID: "cus_2", channel: "email", language: "de",
            text: "Hallo", sentAt: "2026-11-27T10:00:00.123Z")
        #expect(try decoder.decode(InquiryV1.self, from: inquiry.encodedBody()) == inquiry)
    }

    @Test(arguments: [
        ("not json at all", ContractError.Code.malformedJSON),
        ("{\"schema\":\"inquiry.v9\",\"message_id\":\"m\"}", .unknownSchema),
        ("{\"message_id\":\"m\"}", .schemaViolation),
        (
            "{\"schema\":\"inquiry.v1\",\"message_id\":\"m-1\",\"channel\":\"chat\",\"text\":\"x\",\"sent_at\":\"2026-11-27T10:00:00Z\"}",
            .schemaViolation
        ),
        (
            "{\"schema\":\"inquiry.v1\",\"message_id\":\"m-1\",\"customer_id\":7,\"channel\":\"chat\",\"text\":\"x\",\"sent_at\":\"2026-11-27T10:00:00Z\"}",
            .schemaViolation
        ),
        (
            "{\"schema\":\"inquiry.v1\",\"message_id\":\"m 1\",\"customer_id\":\"c\",\"channel\":\"chat\",\"text\":\"x\",\"sent_at\":\"2026-11-27T10:00:00Z\"}",
            .schemaViolation
        ),
        (
            "{\"schema\":\"inquiry.v1\",\"message_id\":\"m-1\",\"customer_id\":\"c\",\"channel\":\"chat\",\"text\":\"  \",\"sent_at\":\"2026-11-27T10:00:00Z\"}",
            .schemaViolation
        ),
        (
            "{\"schema\":\"inquiry.v1\",\"message_id\":\"m-1\",\"customer_id\":\"c\",\"channel\":\"chat\",\"text\":\"x\",\"sent_at\":\"yesterday\"}",
            .schemaViolation
        ),
        ("{\"schema\":\"routed_inquiry.v1\",\"message_id\":\"m\"}", .unknownSchema),
        // Every field of an inquiry, but another schema: decodes as the type, still rejected for its schema.
        (
            "{\"schema\":\"inquiry.v2\",\"message_id\":\"m-1\",\"customer_id\":\"c\",\"channel\":\"chat\",\"text\":\"x\",\"sent_at\":\"2026-11-27T10:00:00Z\"}",
            .unknownSchema
        ),
        (
            "{\"schema\":\"reply.v1\",\"message_id\":\"m-1\",\"customer_id\":\"c\",\"channel\":\"chat\",\"text\":\"x\",\"sent_at\":\"2026-11-27T10:00:00Z\"}",
            .unknownSchema
        ),
    ])
    func rejectsBadInput(json: String, code: ContractError.Code) {
        #expect(throws: ContractError.self) { try decoder.decode(InquiryV1.self, from: body(json)) }
        do {
            _ = try decoder.decode(InquiryV1.self, from: body(json))
        } catch {
            #expect(error.code == code, "\(error)")
        }
    }

    @Test func missingFieldIsNamed() {
        let json =
            "{\"schema\":\"inquiry.v1\",\"message_id\":\"m-1\",\"channel\":\"chat\",\"text\":\"x\",\"sent_at\":\"2026-11-27T10:00:00Z\"}"
        do {
            _ = try decoder.decode(InquiryV1.self, from: body(json))
            Issue.record("expected an error")
        } catch {
            #expect(error.detail.contains("customer_id"))
        }
    }

    @Test func oversizedBodyIsRejected() {
        let big = body(String(repeating: " ", count: 4096) + valid)
        do {
            _ = try decoder.decode(InquiryV1.self, from: big)
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .oversized)
        }
    }
}
