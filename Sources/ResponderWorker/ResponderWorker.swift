import ConciergeCore
import ConciergeIntents
public import ConciergeRuntime
import Configuration
import Foundation
import Logging
public import ServiceLifecycle

/// The responder worker (`concierge-responder`): consumes `routed_inquiry.v1` from `concierge.responder` and answers
/// from account facts and the knowledge base, or hands off to the human lane (``ResponderHandler``).
public enum ResponderWorker: WorkerRecipe {
    public static let name = "responder"

    /// The responder's configuration.
    ///
    /// Keys:
    /// - `responder.catalog` (`config/intents.yaml`): the intent catalog; its `answer:` fields say which intents are
    ///   answered from account facts (`account`), from the knowledge base (`howto`) or by people only (`none`)
    /// - `responder.knowledge` (`config/knowledge`): directory of Markdown articles with front matter
    /// - `responder.replies` (`config/replies`): one `<language>.yaml` per language the responder answers in: its
    ///   sentences, money and date formats, the knowledge search's stop words and suffixes, and the words the LLM
    ///   grounding guard reads as months and currencies (`ReplyLanguages`); loading fails when a language lacks a
    ///   sentence
    /// - `responder.fallback_language` (`en`): the language of the answer to an inquiry in a language without a file
    /// - `responder.min_article_score` (3.5): BM25 score (plus `responder.intent_boost` when the article lists the
    ///   inquiry's intent) below which a how-to question is handed off
    /// - `responder.intent_boost` (2.0)
    /// - `responder.max_replies_per_conversation` (3): after this many AI replies in a conversation, hand off
    /// - `responder.due_date.max_days` (14): how far a due date can be moved (`DueDateRules`)
    /// - `responder.producers` ([concierge-classifier]): the AMQP users whose routed inquiries it takes
    /// - `responder.llm.*`: the optional LLM backend, off unless `responder.llm.url` is set (see `LLMConfiguration`)
    public struct Settings: Sendable {
        public var catalog = "config/intents.yaml"
        public var knowledge = "config/knowledge"
        public var replies = "config/replies"
        public var fallbackLanguage = "en"
        public var minimumArticleScore = 3.5
        public var intentBoost = 2.0
        public var maximumRepliesPerConversation = 3
        public var dueDateMaximumDays = 14
        public var producers = ["concierge-classifier"]
        public var llm: LLMConfiguration?

        public init() {}

        public init(configuration: FleetConfiguration) throws {
            let reader = configuration.reader
            self.catalog = reader.string(forKey: "responder.catalog", default: self.catalog)
            self.knowledge = reader.string(forKey: "responder.knowledge", default: self.knowledge)
            self.replies = reader.string(forKey: "responder.replies", default: self.replies)
            self.fallbackLanguage = reader.string(forKey: "responder.fallback_language", default: self.fallbackLanguage)
            self.minimumArticleScore = reader.double(
                forKey: "responder.min_article_score", default: self.minimumArticleScore)
            self.intentBoost = reader.double(forKey: "responder.intent_boost", default: self.intentBoost)
            self.maximumRepliesPerConversation = reader.int(
                forKey: "responder.max_replies_per_conversation", default: self.maximumRepliesPerConversation
            )
            self.dueDateMaximumDays = reader.int(
                forKey: "responder.due_date.max_days", default: self.dueDateMaximumDays)
            guard self.dueDateMaximumDays > 0 else {
                throw ConfigurationError(
                    .invalidSetting, key: "responder.due_date.max_days",
                    reason: "must be a positive number of days, not \(self.dueDateMaximumDays)"
                )
            }
            self.producers = reader.stringArray(forKey: "responder.producers", default: self.producers)
            self.llm = try LLMConfiguration.load(from: configuration)
        }
    }

    public static func settings(from configuration: FleetConfiguration) throws -> Settings {
        try Settings(configuration: configuration)
    }

    public static func services(settings: Settings, context: WorkerApp.Context) throws -> [any Service] {
        let llm = settings.llm.map { configuration in
            context.logger.info("LLM backend enabled", metadata: ["llm": "\(configuration)"])
            return LLMPhraser(configuration: configuration, logger: context.logger)
        }
        return [
            try context.worker(
                name: self.name, queue: FleetNames.responderQueue,
                handler: ResponderHandler(
                    responder: try self.responder(settings), llm: llm, metrics: ResponderMetrics()),
                topology: context.configuration.topology.worker(.responder), producers: settings.producers
            )
        ]
    }

    /// Loads the catalog, reply languages and knowledge base `settings` name.
    public static func responder(_ settings: Settings) throws -> Responder {
        let catalog = try IntentCatalog.load(path: settings.catalog)
        let languages = try ReplyLanguages.load(directory: settings.replies, fallback: settings.fallbackLanguage)
        let knowledge = try KnowledgeBase.load(
            directory: settings.knowledge, intentBoost: settings.intentBoost, languages: languages)
        return Responder(
            catalog: catalog, knowledge: knowledge, languages: languages,
            account: AccountAnswerer(dueDates: DueDateRules(maximumDays: settings.dueDateMaximumDays)),
            minimumArticleScore: settings.minimumArticleScore,
            maximumRepliesPerConversation: settings.maximumRepliesPerConversation
        )
    }

    /// The responder the configuration describes (the CLI's `answer` command and the demo's check use it).
    public static func responder(configuration: FleetConfiguration) throws -> Responder {
        try self.responder(Settings(configuration: configuration))
    }
}
