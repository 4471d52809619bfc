public import ConciergeCore
public import ConciergePostgres
public import ConciergeRuntime
import Foundation
import Metrics

/// The classifier worker: consumes `inquiry.v1`, persists the inquiry, its classification and the routing decision,
/// and publishes `routed_inquiry.v1` to the AI lane or the human lane.
public struct ClassifierHandler: WorkerHandler {
    public let classifier: InquiryClassifier
    public let modelVersion: String
    let metrics = ClassifierMetrics()

    public init(classifier: InquiryClassifier, modelVersion: String) {
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
            PostgresStatement("SELECT customer_id FROM customers WHERE customer_id = ANY($1::text[]) AND tier = 'vip'", [customers]),
            PostgresStatement(
                """
                SELECT conversation_id, assigned_agent_id FROM conversations
                WHERE conversation_id = ANY($1::text[]) AND status = 'assigned' AND assigned_agent_id IS NOT NULL
                """,
                [conversations]
            ),
            PostgresStatement(
                """
                SELECT customer_id, intent FROM routing_decisions
                WHERE customer_id = ANY($1::text[]) AND intent IS NOT NULL AND decided_at > now() - make_interval(mins => $2)
                """,
                [customers, self.classifier.policy.repeatContactWindowMinutes]
            ),
        ])
        let vips = try Set(reads[0].map { try $0.decode(String.self, at: 0) })
        var assigned: [String: String] = [:]
        for row in reads[1] {
            assigned[try row.decode(String.self, at: 0)] = try row.decode(String.self, at: 1)
        }
        var recent = Set<String>()  // "customer\u{0}intent"
        for row in reads[2] {
            recent.insert("\(try row.decode(String.self, at: 0))\u{0}\(try row.decode(String.self, at: 1))")
        }

        var rows = DecisionRows()
        var outgoing: [OutgoingMessage] = []
        for inquiry in inquiries {
            let analysis = self.classifier.analyze(text: inquiry.text, language: inquiry.language)
            let key = analysis.intent.map { "\(inquiry.customerID)\u{0}\($0)" }
            let signals = self.classifier.signals(
                analysis, vip: vips.contains(inquiry.customerID),
                repeatContact: key.map(recent.contains) ?? false,
                assignedAgent: assigned[inquiry.conversation]
            )
            if let key { recent.insert(key) }
            let decision = self.classifier.decide(signals)
            let intent = analysis.intent.flatMap { self.classifier.catalog[$0] }
            rows.append(inquiry, analysis: analysis, signals: signals, decision: decision, modelVersion: self.modelVersion)
            self.metrics.record(decision, confidence: analysis.prediction.confidence)

            let routed = RoutedInquiryV1(
                messageID: "\(inquiry.messageID).routed",
                inquiry: inquiry,
                decision: .init(
                    route: decision.route, priority: decision.priority, intent: analysis.intent,
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

    mutating func append(
        _ inquiry: InquiryV1, analysis: InquiryClassifier.TextAnalysis, signals: RoutingSignals, decision: RoutingDecision,
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
        self.intents.append(analysis.intent)
        self.confidences.append(String(format: "%.4f", min(max(analysis.prediction.confidence, 0), 1)))
        self.topIntents.append(analysis.prediction.label)
        self.sensitive.append(signals.sensitive)
        // Arrays of arrays must be rectangular: each row's reasons travel as one array literal (text), cast back in SQL.
        self.reasons.append(decision.reasons)
        self.versions.append(modelVersion)
    }

    /// Enqueued: the inserts go out with the batch's outbox insert and COMMIT.
    func insert(in transaction: PostgresTransaction) {
        transaction.enqueue(
            """
            INSERT INTO inquiries (message_id, conversation_id, customer_id, channel, language, text, sent_at, in_reply_to)
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::text[])
            ON CONFLICT (message_id) DO NOTHING
            """,
            [self.ids, self.conversations, self.customers, self.channels, self.languages, self.texts, self.sentAt, self.inReplyTo]
        )
        transaction.enqueue(
            """
            INSERT INTO conversations (conversation_id, customer_id)
            SELECT DISTINCT * FROM unnest($1::text[], $2::text[])
            ON CONFLICT (conversation_id) DO UPDATE SET updated_at = now()
            """,
            [self.conversations, self.customers]
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
    }
}
