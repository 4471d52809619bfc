public import ConciergeCore
public import ConciergePostgres
public import ConciergeRuntime
import ConciergeSupport
import Foundation

/// The AI responder worker: consumes `routed_inquiry.v1` from `lane.ai`, answers from the customer's account facts
/// or the knowledge base, and otherwise hands the inquiry to the human lane with a summary.
///
/// Per inquiry, in the batch's transaction:
/// - answer or clarifying question → a row in `ai_replies` (with the facts it states) and `reply.v1` to the outcomes
///   exchange, key `reply.<channel>`, id `<inquiry id>.reply`;
/// - handoff → a row in `ai_handoffs`, `routed_inquiry.v1` to `lane.human` (route human, reason
///   `handoff:<reason>`, field `handoff`), id `<inquiry id>.handoff.routed`, and `handoff.v1` to the outcomes
///   exchange, key `handoff.<channel>`, id `<inquiry id>.handoff`.
/// An inquiry already answered or handed off (whatever message carried it) produces nothing the second time.
public struct ResponderHandler: WorkerHandler {
    public let responder: Responder
    /// The optional LLM backend; nil = built-in answers only.
    public let llm: LLMPhraser?
    let metrics: ResponderMetrics

    /// `metrics`: the process's one instance (the worker makes it; a test may pass its own).
    public init(responder: Responder, llm: LLMPhraser? = nil, metrics: ResponderMetrics = ResponderMetrics()) {
        self.metrics = metrics
        self.responder = responder
        self.llm = llm
    }

    public func decode(_ message: InboundMessage) throws(ContractError) -> ResponderInput {
        ResponderInput(routed: try ContractDecoder().decode(RoutedInquiryV1.self, from: message.body))
    }

    public func apply(_ batch: [Accepted<ResponderInput>], in transaction: PostgresTransaction) throws
        -> [OutgoingMessage]
    {
        let inputs = batch.map(\.input)
        let state = try Self.load(inputs.map(\.routed), in: transaction)
        var replies = ReplyRows()
        var handoffs = HandoffRows()
        var lanes = ConversationUpdates()
        var outgoing: [OutgoingMessage] = []
        let now = Date()
        let stamp = Timestamps.format(now)
        for decided in self.decide(inputs, state) {
            let routed = decided.input.routed
            let inquiry = routed.inquiry
            // Recorded once the transaction commits: `apply` may run again (see `WorkerHandler`).
            let (metrics, outcome, nanoseconds) = (self.metrics, decided.outcome, decided.nanoseconds)
            let latency = Timestamps.parse(inquiry.sentAt).map { now.timeIntervalSince($0) }
            transaction.afterCommit { metrics.record(outcome, answerNanoseconds: nanoseconds, latencySeconds: latency) }
            switch decided.outcome {
            case .reply(let reply):
                if let llm = self.llm, decided.input.draft != nil {
                    let use: LLMMetrics.Outcome = decided.llmText != nil ? .used : .stale
                    transaction.afterCommit { llm.metrics.record(use) }
                }
                let message = ReplyV1(
                    messageID: "\(inquiry.messageID).reply", inquiryID: inquiry.messageID,
                    conversationID: inquiry.conversation,
                    customerID: inquiry.customerID, channel: inquiry.channel,
                    language: self.responder.languages.language(for: routed.decision.language).code,
                    intent: reply.intent, kind: reply.kind, text: decided.llmText ?? reply.text,
                    citations: reply.articleID.map { [$0] } ?? [],
                    facts: reply.facts, backend: decided.llmText == nil ? "builtin" : "llm", repliedAt: stamp
                )
                replies.append(message, articleID: reply.articleID)
                lanes.replied(message, customerID: inquiry.customerID)
                outgoing.append(
                    OutgoingMessage(
                        message, id: message.messageID, exchange: FleetNames.outcomesExchange,
                        routingKey: "reply.\(inquiry.channel)",
                        mandatory: false
                    )
                )
            case .handoff(let handoff):
                let summary = Responder.summary(
                    routed: routed, handoff: handoff, facts: decided.facts, history: decided.history)
                handoffs.append(routed, summary: summary)
                lanes.handedOff(routed, reason: handoff.reason.rawValue)
                var human = routed
                human.messageID = "\(inquiry.messageID).handoff.routed"
                human.decision.route = .human
                human.decision.reasons.append("handoff:\(handoff.reason.rawValue)")
                human.handoff = summary
                outgoing.append(
                    OutgoingMessage(
                        human, id: human.messageID, exchange: FleetNames.workExchange,
                        routingKey: FleetNames.humanLaneKey, mandatory: true)
                )
                let notice = HandoffV1(
                    messageID: "\(inquiry.messageID).handoff", inquiryID: inquiry.messageID,
                    conversationID: inquiry.conversation,
                    customerID: inquiry.customerID, channel: inquiry.channel, intent: routed.decision.intent,
                    handoff: summary,
                    handedOffAt: stamp
                )
                outgoing.append(
                    OutgoingMessage(
                        notice, id: notice.messageID, exchange: FleetNames.outcomesExchange,
                        routingKey: "handoff.\(inquiry.channel)",
                        mandatory: false
                    )
                )
            }
        }
        // Enqueued: the inserts go out with the batch's outbox insert and COMMIT.
        replies.insert(in: transaction)
        handoffs.insert(in: transaction)
        lanes.enqueue(in: transaction)
        return outgoing
    }

    /// What the batch's decisions read from the database.
    struct State: Sendable {
        /// Inquiries already answered or handed off.
        var done: Set<String>
        var facts: [String: CustomerFacts]
        var histories: [String: ConversationHistory]
    }

    /// Everything the decisions read, in one round trip: what is already done, the customers' facts (five queries)
    /// and the conversations' histories (two).
    static func load(_ inputs: [RoutedInquiryV1], in transaction: PostgresTransaction) throws -> State {
        let inquiryIDs = inputs.map(\.inquiry.messageID)
        let customers = Array(Set(inputs.map(\.inquiry.customerID)))
        let conversations = Array(Set(inputs.map(\.inquiry.conversation)))
        let done = PostgresStatement(
            """
            SELECT inquiry_id FROM ai_replies WHERE inquiry_id = ANY($1::text[])
            UNION SELECT inquiry_id FROM ai_handoffs WHERE inquiry_id = ANY($1::text[])
            """,
            [inquiryIDs]
        )
        let results = try transaction.queries(
            [done] + FactsStore.statements(customers: customers) + Self.historyStatements(conversations: conversations)
        )
        return State(
            done: Set(try results[0].map { try $0.decode(String.self, named: "inquiry_id") }),
            facts: try FactsStore.facts(customers: customers, from: results[1..<6]),
            histories: try Self.histories(from: results[6..<8])
        )
    }

    /// One inquiry's decision within a batch.
    struct Decided: Sendable {
        var input: ResponderInput
        var facts: CustomerFacts
        /// The conversation as it stood before this inquiry (earlier inquiries of the batch included).
        var history: ConversationHistory
        var outcome: ResponderOutcome
        /// The input's LLM draft, when the outcome is still the reply it rephrases.
        var llmText: String?
        var nanoseconds: Int64
    }

    /// Decides each inquiry in order, skipping those already done or repeated, and lets each reply or handoff count
    /// in the history of the later inquiries of its conversation. Pure: `prepare` and `apply` both use it.
    func decide(_ inputs: [ResponderInput], _ state: State) -> [Decided] {
        var done = state.done
        var histories = state.histories
        var decided: [Decided] = []
        for input in inputs {
            let inquiry = input.routed.inquiry
            guard done.insert(inquiry.messageID).inserted else { continue }
            let customerFacts =
                state.facts[inquiry.customerID] ?? CustomerFacts(customerID: inquiry.customerID, purchases: [])
            let history = histories[inquiry.conversation] ?? ConversationHistory()
            let started = ContinuousClock.now
            let outcome = self.responder.respond(to: input.routed, facts: customerFacts, history: history)
            let elapsed = ContinuousClock.now - started
            var llmText: String?
            switch outcome {
            case .reply(let reply):
                if let draft = input.draft, draft.reference == reply { llmText = draft.text }
                histories[inquiry.conversation, default: ConversationHistory()].replies.append(
                    .init(
                        inquiryID: inquiry.messageID, intent: reply.intent, kind: reply.kind,
                        text: llmText ?? reply.text)
                )
            case .handoff:
                histories[inquiry.conversation, default: ConversationHistory()].handedOff = true
            }
            decided.append(
                Decided(
                    input: input, facts: customerFacts, history: history, outcome: outcome, llmText: llmText,
                    nanoseconds: elapsed.inNanoseconds
                )
            )
        }
        return decided
    }

    /// The AI's earlier replies in these conversations and whether they are with the human lane: two queries.
    static func historyStatements(conversations: [String]) -> [PostgresStatement] {
        [
            PostgresStatement(
                """
                SELECT conversation_id, inquiry_id, intent, kind, text FROM ai_replies
                WHERE conversation_id = ANY($1::text[]) ORDER BY created_at, reply_id
                """,
                [conversations]
            ),
            // With the human lane now (waiting, on offer, assigned): the AI does not answer it meanwhile. A conversation
            // a person resolved is the AI's again.
            PostgresStatement(
                """
                SELECT conversation_id FROM conversations
                WHERE conversation_id = ANY($1::text[]) AND status IN ('waiting', 'offered', 'assigned')
                """,
                [conversations]
            ),
        ]
    }

    /// The histories from the results of ``historyStatements(conversations:)``.
    static func histories(from results: ArraySlice<PostgresResult>) throws -> [String: ConversationHistory] {
        let replies = results[results.startIndex]
        let handoffs = results[results.startIndex + 1]
        var histories: [String: ConversationHistory] = [:]
        for row in replies {
            histories[try row.decode(String.self, named: "conversation_id"), default: ConversationHistory()].replies
                .append(
                    .init(
                        inquiryID: try row.decode(String.self, named: "inquiry_id"),
                        intent: try row.decode(String.self, named: "intent"),
                        kind: try row.decode(String.self, named: "kind"),
                        text: try row.decode(String.self, named: "text")
                    )
                )
        }
        for row in handoffs {
            histories[try row.decode(String.self, named: "conversation_id"), default: ConversationHistory()].handedOff =
                true
        }
        return histories
    }
}

/// Column arrays for `ai_replies`.
struct ReplyRows {
    var ids: [String] = [], inquiries: [String] = [], conversations: [String] = [], customers: [String] = []
    var intents: [String] = [], languages: [String] = [], kinds: [String] = [], texts: [String] = []
    var facts: [String] = [], articles: [String?] = [], backends: [String] = []

    mutating func append(_ reply: ReplyV1, articleID: String?) {
        self.ids.append(reply.messageID)
        self.inquiries.append(reply.inquiryID)
        self.conversations.append(reply.conversationID)
        self.customers.append(reply.customerID)
        self.intents.append(reply.intent)
        self.languages.append(reply.language)
        self.kinds.append(reply.kind)
        self.texts.append(reply.text)
        self.facts.append(FactsJSON.encode(reply.facts))
        self.articles.append(articleID)
        self.backends.append(reply.backend)
    }

    func insert(in transaction: PostgresTransaction) {
        guard !self.ids.isEmpty else { return }
        transaction.enqueue(
            """
            INSERT INTO ai_replies (reply_id, inquiry_id, conversation_id, customer_id, intent, language, kind, text, facts,
                                    article_id, backend)
            SELECT u.id, u.inquiry, u.conversation, u.customer, u.intent, u.language, u.kind, u.text, u.facts::jsonb,
                   u.article, u.backend
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                        $9::text[], $10::text[], $11::text[])
                 AS u(id, inquiry, conversation, customer, intent, language, kind, text, facts, article, backend)
            ON CONFLICT DO NOTHING
            """,
            [
                self.ids, self.inquiries, self.conversations, self.customers, self.intents, self.languages, self.kinds,
                self.texts, self.facts, self.articles, self.backends,
            ]
        )
    }
}

/// Column arrays for `ai_handoffs`.
struct HandoffRows {
    var inquiries: [String] = [], conversations: [String] = [], customers: [String] = [], intents: [String?] = []
    var reasons: [String] = [], summaries: [String] = [], facts: [String] = [], replies: [String?] = []

    mutating func append(_ routed: RoutedInquiryV1, summary: HandoffSummary) {
        self.inquiries.append(routed.inquiry.messageID)
        self.conversations.append(routed.inquiry.conversation)
        self.customers.append(routed.inquiry.customerID)
        self.intents.append(routed.decision.intent)
        self.reasons.append(summary.reason)
        self.summaries.append(summary.summary)
        self.facts.append(FactsJSON.encode(summary.facts))
        self.replies.append(summary.aiReply)
    }

    func insert(in transaction: PostgresTransaction) {
        guard !self.inquiries.isEmpty else { return }
        transaction.enqueue(
            """
            INSERT INTO ai_handoffs (inquiry_id, conversation_id, customer_id, intent, reason, summary, facts, ai_reply)
            SELECT u.inquiry, u.conversation, u.customer, u.intent, u.reason, u.summary, u.facts::jsonb, u.reply
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
                 AS u(inquiry, conversation, customer, intent, reason, summary, facts, reply)
            ON CONFLICT DO NOTHING
            """,
            [
                self.inquiries, self.conversations, self.customers, self.intents, self.reasons, self.summaries,
                self.facts, self.replies,
            ]
        )
    }
}

/// Facts as a JSON array for the `jsonb` columns.
enum FactsJSON {
    static func encode(_ facts: [HandoffSummary.Fact]) -> String {
        var writer = JSONWriter(capacity: 64 + facts.count * 96)
        facts.write(to: &writer)
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}

/// What the batch changes in its conversations: the transcript lines (AI replies, hand-offs), the pending
/// clarification (set by a clarifying question, cleared by anything else) and the human lane after a hand-off.
struct ConversationUpdates {
    var transcript = TranscriptLines()
    /// Per conversation, in the order first seen: the pending clarification after the batch and whether it was
    /// handed off.
    var order: [String] = []
    var state: [String: (pending: String?, handedOff: Bool)] = [:]

    mutating func replied(_ reply: ReplyV1, customerID: String) {
        self.transcript.append(
            conversationID: reply.conversationID, customerID: customerID, messageID: reply.messageID, author: .ai,
            authorID: "ai", kind: reply.kind == "clarification" ? "clarification" : "message", text: reply.text
        )
        self.set(reply.conversationID, pending: reply.kind == "clarification" ? reply.intent : nil, handedOff: false)
    }

    mutating func handedOff(_ routed: RoutedInquiryV1, reason: String) {
        let inquiry = routed.inquiry
        self.transcript.append(
            conversationID: inquiry.conversation, customerID: inquiry.customerID,
            messageID: "\(inquiry.messageID).handoff",
            author: .system, authorID: "responder", kind: "handed_off", text: "handed to a person: \(reason)"
        )
        self.set(inquiry.conversation, pending: nil, handedOff: true)
    }

    private mutating func set(_ conversation: String, pending: String?, handedOff: Bool) {
        if self.state[conversation] == nil { self.order.append(conversation) }
        let before = self.state[conversation]?.handedOff ?? false
        self.state[conversation] = (pending, before || handedOff)
    }

    func enqueue(in transaction: PostgresTransaction) {
        guard !self.order.isEmpty else { return }
        // The transcript first: it creates a conversation row the classifier did not (the update needs one).
        self.transcript.enqueue(in: transaction)
        transaction.enqueue(
            """
            UPDATE conversations AS c SET
                updated_at = now(), pending_clarification = CASE WHEN u.handed_off THEN NULL ELSE u.pending END,
                status = CASE WHEN u.handed_off AND c.status NOT IN ('waiting', 'offered', 'assigned') THEN 'waiting' ELSE c.status END,
                human_since = CASE WHEN u.handed_off AND c.status NOT IN ('waiting', 'offered', 'assigned') THEN now() ELSE c.human_since END
            FROM unnest($1::text[], $2::text[], $3::bool[]) AS u(conversation_id, pending, handed_off)
            WHERE c.conversation_id = u.conversation_id
            """,
            [
                self.order, self.order.map { self.state[$0]?.pending },
                self.order.map { self.state[$0]?.handedOff ?? false },
            ]
        )
    }
}
