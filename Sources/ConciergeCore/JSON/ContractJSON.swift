// The hand-written JSON of the contracts published on every inquiry. Keys in sorted order, nil optionals left out:
// byte for byte what `encodedBody()`'s JSONEncoder writes (checked by ContractJSONTests).

extension HandoffSummary.Fact: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.member("id", self.id)
        writer.member("kind", self.kind)
        writer.member("summary", self.summary)
        writer.endObject()
    }
}

extension [HandoffSummary.Fact] {
    /// The facts as a JSON array.
    public func write(to writer: inout JSONWriter) {
        writer.beginArray()
        for fact in self { fact.write(to: &writer) }
        writer.endArray()
    }
}

extension HandoffSummary: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.member("ai_reply", self.aiReply)
        writer.key("facts")
        self.facts.write(to: &writer)
        writer.member("reason", self.reason)
        writer.member("summary", self.summary)
        writer.endObject()
    }
}

extension InquiryV1: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.member("channel", self.channel)
        writer.member("conversation_id", self.conversationID)
        writer.member("customer_id", self.customerID)
        writer.member("in_reply_to", self.inReplyTo)
        writer.member("language", self.language)
        writer.member("message_id", self.messageID)
        writer.member("schema", self.schema)
        writer.member("sent_at", self.sentAt)
        writer.member("text", self.text)
        writer.endObject()
    }
}

extension RoutedInquiryV1.Decision: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.member("assigned_agent_id", self.assignedAgentID)
        writer.member("complexity", self.complexity)
        writer.key("confidence")
        writer.number(self.confidence)
        writer.member("intent", self.intent)
        writer.member("language", self.language)
        writer.member("priority", self.priority.rawValue)
        writer.key("reasons")
        writer.strings(self.reasons)
        writer.member("route", self.route.rawValue)
        writer.key("sensitive")
        writer.bool(self.sensitive)
        writer.key("skills")
        writer.strings(self.skills)
        writer.key("vip")
        writer.bool(self.vip)
        writer.endObject()
    }
}

extension RoutedInquiryV1: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("decision")
        self.decision.write(to: &writer)
        if let handoff = self.handoff {
            writer.key("handoff")
            handoff.write(to: &writer)
        }
        writer.key("inquiry")
        self.inquiry.write(to: &writer)
        writer.member("message_id", self.messageID)
        writer.member("schema", self.schema)
        writer.endObject()
    }
}

extension ReplyV1: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.member("backend", self.backend)
        writer.member("channel", self.channel)
        writer.key("citations")
        writer.strings(self.citations)
        writer.member("conversation_id", self.conversationID)
        writer.member("customer_id", self.customerID)
        writer.key("facts")
        self.facts.write(to: &writer)
        writer.member("inquiry_id", self.inquiryID)
        writer.member("intent", self.intent)
        writer.member("kind", self.kind)
        writer.member("language", self.language)
        writer.member("message_id", self.messageID)
        writer.member("replied_at", self.repliedAt)
        writer.member("schema", self.schema)
        writer.member("text", self.text)
        writer.endObject()
    }
}

extension HandoffV1: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.member("channel", self.channel)
        writer.member("conversation_id", self.conversationID)
        writer.member("customer_id", self.customerID)
        writer.member("handed_off_at", self.handedOffAt)
        writer.key("handoff")
        self.handoff.write(to: &writer)
        writer.member("inquiry_id", self.inquiryID)
        writer.member("intent", self.intent)
        writer.member("message_id", self.messageID)
        writer.member("schema", self.schema)
        writer.endObject()
    }
}
