public import ConciergeCore
import ConciergeIntents
public import ConciergePostgres
public import ConciergeRuntime
import Foundation
import IntentClassifier
import Metrics

/// The classifier worker: consumes `inquiry.v1`, persists the inquiry, its classification and the routing decision,
/// and publishes `routed_inquiry.v1` to the AI lane or the human lane.
public struct ClassifierHandler: WorkerHandler {
    public let classifier: InquiryClassifier
    public let modelVersion: String
    let metrics: ClassifierMetrics

    /// `metrics`: the process's one instance (the worker makes it; a test may pass its own).
    public init(classifier: InquiryClassifier, modelVersion: String, metrics: ClassifierMetrics = ClassifierMetrics()) {
        self.metrics = metrics
        self.classifier = classifier
        self.modelVersion = modelVersion
    }

    public func decode(_ message: InboundMessage) throws(ContractError) -> InquiryV1 {
        try ContractDecoder().decode(InquiryV1.self, from: message.body)
    }

    public func apply(_ batch: [Accepted<InquiryV1>], in transaction: PostgresTransaction) throws -> [OutgoingMessage] {
        let inquiries = batch.map(\.input)
        let customers = Array(Set(inquiries.map(\.customerID)))
        let conversations = Array(Set(inquiries.map(\.conversation)))

        // The three reads in one round trip.
        let reads = try transaction.queries([
            PostgresStatement(
                "SELECT customer_id FROM customers WHERE customer_id = ANY($1::text[]) AND tier = 'vip'", [customers]),
            // Locked: a conversation's messages are routed one batch at a time, so the human lane sticks.
            PostgresStatement(
                """
                SELECT conversation_id, status, assigned_agent_id, pending_clarification FROM conversations
                WHERE conversation_id = ANY($1::text[]) ORDER BY conversation_id FOR UPDATE
                """,
                [conversations]
            ),
            PostgresStatement(
                """
                SELECT customer_id, intent, conversation_id FROM routing_decisions
                WHERE customer_id = ANY($1::text[]) AND intent IS NOT NULL AND decided_at > now() - make_interval(mins => $2)
                """,
                [customers, self.classifier.policy.repeatContactWindowMinutes]
            ),
        ])
        let vips = try Set(reads[0].map { try $0.decode(String.self, named: "customer_id") })
        var lanes: [String: ConversationLane] = [:]
        for row in reads[1] {
            let status = try row.decode(String.self, named: "status")
            let agent = try row.decode(String?.self, named: "assigned_agent_id")
            lanes[try row.decode(String.self, named: "conversation_id")] = ConversationLane(
                human: ConversationLane.humanStates.contains(status), assignedAgent: status == "assigned" ? agent : nil,
                pendingClarification: try row.decode(String?.self, named: "pending_clarification")
            )
        }
        // Repeat contact: the same customer and intent in another conversation within the window.
        var recent: [String: Set<String>] = [:]  // "customer\u{0}intent" -> conversations
        for row in reads[2] {
            recent[
                "\(try row.decode(String.self, named: "customer_id"))\u{0}\(try row.decode(String.self, named: "intent"))",
                default: []
            ].insert(
                try row.decode(String.self, named: "conversation_id")
            )
        }

        var rows = DecisionRows()
        var outgoing: [OutgoingMessage] = []
        for inquiry in inquiries {
            let analysis = self.classifier.analyze(text: inquiry.text, language: inquiry.language)
            let lane = lanes[inquiry.conversation] ?? ConversationLane()
            let key = analysis.intent.map { "\(inquiry.customerID)\u{0}\($0)" }
            let elsewhere = key.flatMap { recent[$0] }.map { !$0.subtracting([inquiry.conversation]).isEmpty } ?? false
            let signals = self.classifier.signals(
                analysis, vip: vips.contains(inquiry.customerID), repeatContact: elsewhere,
                assignedAgent: lane.assignedAgent, humanLane: lane.human,
                pendingClarification: lane.pendingClarification
            )
            if let key { recent[key, default: []].insert(inquiry.conversation) }
            let decision = self.classifier.decide(signals)
            let intent = signals.intent.flatMap { self.classifier.catalog[$0] }
            if decision.route != .ai {
                lanes[inquiry.conversation, default: ConversationLane()].human = true
            }
            lanes[inquiry.conversation, default: ConversationLane()].pendingClarification = nil
            rows.append(
                inquiry, analysis: analysis, signals: signals, decision: decision, modelVersion: self.modelVersion)
            let (metrics, confidence) = (self.metrics, analysis.prediction.confidence)
            transaction.afterCommit { metrics.record(decision, confidence: confidence) }

            let routed = RoutedInquiryV1(
                messageID: "\(inquiry.messageID).routed",
                inquiry: inquiry,
                decision: .init(
                    route: decision.route, priority: decision.priority, intent: signals.intent,
                    confidence: analysis.prediction.confidence, reasons: decision.reasons, sensitive: signals.sensitive,
                    complexity: signals.sensitive ? "sensitive" : (intent?.complexity ?? "complex"),
                    skills: intent?.skills ?? [], language: analysis.language, vip: signals.vip,
                    assignedAgentID: decision.assignedAgent
                )
            )
            outgoing.append(
                OutgoingMessage(
                    routed, id: routed.messageID, exchange: FleetNames.workExchange,
                    routingKey: decision.route == .ai ? FleetNames.aiLaneKey : FleetNames.humanLaneKey, mandatory: true
                )
            )
        }
        rows.insert(in: transaction)
        return outgoing
    }
}

/// Column arrays for the batch inserts.
struct DecisionRows {
    var ids: [String] = [], conversations: [String] = [], customers: [String] = [], channels: [String] = []
    var languages: [String] = [], texts: [String] = [], sentAt: [String] = [], inReplyTo: [String?] = []
    var routes: [String] = [], priorities: [String] = [], intents: [String?] = [], confidences: [String] = []
    var topIntents: [String] = [], sensitive: [Bool] = [], reasons: [[String]] = [], versions: [String] = []
    var human: [Bool] = []
    var transcript = TranscriptLines()

    mutating func append(
        _ inquiry: InquiryV1, analysis: InquiryClassifier.TextAnalysis, signals: RoutingSignals,
        decision: RoutingDecision,
        modelVersion: String
    ) {
        self.ids.append(inquiry.messageID)
        self.conversations.append(inquiry.conversation)
        self.customers.append(inquiry.customerID)
        self.channels.append(inquiry.channel)
        self.languages.append(analysis.language)
        self.texts.append(inquiry.text)
        self.sentAt.append(inquiry.sentAt)
        self.inReplyTo.append(inquiry.inReplyTo)
        self.routes.append(decision.route.rawValue)
        self.priorities.append(decision.priority.rawValue)
        self.intents.append(signals.intent)
        self.confidences.append(String(format: "%.4f", min(max(analysis.prediction.confidence, 0), 1)))
        self.topIntents.append(analysis.prediction.label)
        self.sensitive.append(signals.sensitive)
        // Arrays of arrays must be rectangular: each row's reasons travel as one array literal (text), cast back in SQL.
        self.reasons.append(decision.reasons)
        self.versions.append(modelVersion)
        self.human.append(decision.route != .ai)
        self.transcript.append(
            conversationID: inquiry.conversation, customerID: inquiry.customerID, messageID: inquiry.messageID,
            author: .customer, authorID: inquiry.customerID, kind: "message", text: inquiry.text
        )
        self.transcript.append(
            conversationID: inquiry.conversation, customerID: inquiry.customerID,
            messageID: "\(inquiry.messageID).routed",
            author: .system, authorID: "classifier", kind: "routed",
            text:
                "routed to \(decision.route == .ai ? "the AI" : "a person"): \(decision.reasons.joined(separator: ", "))"
        )
    }

    /// Enqueued: the inserts go out with the batch's outbox insert and COMMIT.
    func insert(in transaction: PostgresTransaction) {
        transaction.enqueue(
            """
            INSERT INTO inquiries (message_id, conversation_id, customer_id, channel, language, text, sent_at, in_reply_to)
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::text[])
            ON CONFLICT (message_id) DO NOTHING
            """,
            [
                self.ids, self.conversations, self.customers, self.channels, self.languages, self.texts, self.sentAt,
                self.inReplyTo,
            ]
        )
        // The conversation's state: once with the human lane, it stays there until resolved; a resolved
        // conversation the customer comes back to starts again with the AI (or the human lane). The routed message
        // carries any pending clarification's intent, so it is consumed here.
        transaction.enqueue(
            """
            INSERT INTO conversations AS c (conversation_id, customer_id, channel, language, status, human_since)
            SELECT u.conversation, min(u.customer), min(u.channel), min(u.language),
                   CASE WHEN bool_or(u.human) THEN 'waiting' ELSE 'ai' END, CASE WHEN bool_or(u.human) THEN now() END
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bool[]) AS u(conversation, customer, channel, language, human)
            GROUP BY u.conversation ORDER BY u.conversation
            ON CONFLICT (conversation_id) DO UPDATE SET
                updated_at = now(), channel = excluded.channel, language = excluded.language, pending_clarification = NULL,
                status = CASE WHEN c.status IN ('waiting', 'offered', 'assigned') THEN c.status ELSE excluded.status END,
                human_since = CASE WHEN c.status IN ('waiting', 'offered', 'assigned') THEN c.human_since
                                   ELSE coalesce(excluded.human_since, c.human_since) END
            """,
            [self.conversations, self.customers, self.channels, self.languages, self.human]
        )
        transaction.enqueue(
            """
            INSERT INTO routing_decisions (message_id, customer_id, conversation_id, route, priority, intent, confidence,
                                           top_intent, sensitive, reasons, model_version)
            SELECT u.id, u.customer, u.conversation, u.route, u.priority, u.intent, u.confidence, u.top, u.sensitive,
                   u.reasons::text[], u.version
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::numeric[], $8::text[],
                        $9::bool[], $10::text[], $11::text[])
                 AS u(id, customer, conversation, route, priority, intent, confidence, top, sensitive, reasons, version)
            ON CONFLICT (message_id) DO NOTHING
            """,
            [
                self.ids, self.customers, self.conversations, self.routes, self.priorities, self.intents,
                self.confidences, self.topIntents, self.sensitive, self.reasons, self.versions,
            ]
        )
        self.transcript.enqueue(in: transaction)
    }
}

/// A conversation's lane as the classifier reads it (locked for the batch).
struct ConversationLane {
    static let humanStates: Set<String> = ["waiting", "offered", "assigned"]

    /// With the human lane (waiting, on offer or assigned) until resolved.
    var human = false
    var assignedAgent: String?
    /// The intent of the AI's clarifying question still waiting for its answer.
    var pendingClarification: String?
}
