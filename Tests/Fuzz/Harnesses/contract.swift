import ConciergeCore

// Every message body the fleet consumes goes through `ContractDecoder`. Properties: no crash; a body that decodes
// and validates re-encodes (both encoders) to a body that decodes to the same value, so a worker never publishes
// what the next one cannot read.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzContract(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let body = FuzzInput(data, size).bytes
    let decoder = ContractDecoder()
    // The type a consumer expects is usually right; a consumer of inquiries also sees every other schema.
    roundTrip(InquiryV1.self, body, decoder)
    guard let schema = try? decoder.schema(of: body) else { return 0 }
    switch schema {
    case .inquiryV1: break
    case .routedInquiryV1: roundTrip(RoutedInquiryV1.self, body, decoder)
    case .replyV1: roundTrip(ReplyV1.self, body, decoder)
    case .handoffV1: roundTrip(HandoffV1.self, body, decoder)
    case .offerV1: roundTrip(OfferV1.self, body, decoder)
    case .agentEventV1: roundTrip(AgentEventV1.self, body, decoder)
    case .feedbackV1: roundTrip(FeedbackV1.self, body, decoder)
    case .conversationResolvedV1: roundTrip(ConversationResolvedV1.self, body, decoder)
    case .conversationReopenedV1: roundTrip(ConversationReopenedV1.self, body, decoder)
    case .passthroughV1: roundTrip(PassthroughV1.self, body, decoder)
    case .agentAppliedV1: roundTrip(AgentAppliedV1.self, body, decoder)
    case .assignmentV1: roundTrip(AssignmentV1.self, body, decoder)
    case .customerMessageV1: roundTrip(CustomerMessageV1.self, body, decoder)
    case .agentNoticeV1: roundTrip(AgentNoticeV1.self, body, decoder)
    case .conversationUpdateV1: roundTrip(ConversationUpdateV1.self, body, decoder)
    case .erasureRequestedV1: roundTrip(ErasureRequestedV1.self, body, decoder)
    }
    return 0
}

private func roundTrip<T: MessageContract & Equatable>(_ type: T.Type, _ body: [UInt8], _ decoder: ContractDecoder) {
    guard let value = try? decoder.decode(T.self, from: body) else { return }
    for (name, encoded) in [("encodedBody", value.encodedBody()), ("JSONEncoder", value.encodedBodyWithJSONEncoder())] {
        let again: T
        do { again = try decoder.decode(T.self, from: encoded) } catch {
            fuzzCheck(false, "\(T.schema.rawValue) re-encoded by \(name) does not decode: \(error)")
            return
        }
        fuzzCheck(again == value, "\(T.schema.rawValue) re-encoded by \(name) decodes to another value")
    }
}
