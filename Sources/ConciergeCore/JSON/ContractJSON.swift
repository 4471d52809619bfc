// The hand-written JSON of the contracts published on every inquiry. Keys in sorted order, nil optionals left out:
// byte for byte what `encodedBody()`'s JSONEncoder writes (checked by ContractJSONTests).

extension HandoffSummary.Fact: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("id")
        writer.string(self.id)
        writer.key("kind")
        writer.string(self.kind)
        writer.key("summary")
        writer.string(self.summary)
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
        writer.key("reason")
        writer.string(self.reason)
        writer.key("summary")
        writer.string(self.summary)
        writer.endObject()
    }
}

extension InquiryV1: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("channel")
        writer.string(self.channel)
        writer.member("conversation_id", self.conversationID)
        writer.key("customer_id")
        writer.string(self.customerID)
        writer.member("in_reply_to", self.inReplyTo)
        writer.member("language", self.language)
        writer.key("message_id")
        writer.string(self.messageID)
        writer.key("schema")
        writer.string(self.schema)
        writer.key("sent_at")
        writer.string(self.sentAt)
        writer.key("text")
        writer.string(self.text)
        writer.endObject()
    }
}

extension RoutedInquiryV1.Decision: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.member("assigned_agent_id", self.assignedAgentID)
        writer.key("complexity")
        writer.string(self.complexity)
        writer.key("confidence")
        writer.number(self.confidence)
        writer.member("intent", self.intent)
        writer.key("language")
        writer.string(self.language)
        writer.key("priority")
        writer.string(self.priority.rawValue)
        writer.key("reasons")
        writer.strings(self.reasons)
        writer.key("route")
        writer.string(self.route.rawValue)
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
        writer.key("message_id")
        writer.string(self.messageID)
        writer.key("schema")
        writer.string(self.schema)
        writer.endObject()
    }
}

extension ReplyV1: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("backend")
        writer.string(self.backend)
        writer.key("channel")
        writer.string(self.channel)
        writer.key("citations")
        writer.strings(self.citations)
        writer.key("conversation_id")
        writer.string(self.conversationID)
        writer.key("customer_id")
        writer.string(self.customerID)
        writer.key("facts")
        self.facts.write(to: &writer)
        writer.key("inquiry_id")
        writer.string(self.inquiryID)
        writer.key("intent")
        writer.string(self.intent)
        writer.key("kind")
        writer.string(self.kind)
        writer.key("language")
        writer.string(self.language)
        writer.key("message_id")
        writer.string(self.messageID)
        writer.key("replied_at")
        writer.string(self.repliedAt)
        writer.key("schema")
        writer.string(self.schema)
        writer.key("text")
        writer.string(self.text)
        writer.endObject()
    }
}

extension HandoffV1: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("channel")
        writer.string(self.channel)
        writer.key("conversation_id")
        writer.string(self.conversationID)
        writer.key("customer_id")
        writer.string(self.customerID)
        writer.key("handed_off_at")
        writer.string(self.handedOffAt)
        writer.key("handoff")
        self.handoff.write(to: &writer)
        writer.key("inquiry_id")
        writer.string(self.inquiryID)
        writer.member("intent", self.intent)
        writer.key("message_id")
        writer.string(self.messageID)
        writer.key("schema")
        writer.string(self.schema)
        writer.endObject()
    }
}
