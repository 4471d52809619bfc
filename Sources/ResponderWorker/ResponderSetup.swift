public import ConciergeRuntime
import ConciergeIntents
import Foundation

/// Builds the responder from configuration.
///
/// Keys:
/// - `responder.catalog` (`config/intents.yaml`): the intent catalog; its `answer:` fields say which intents are
///   answered from account facts (`account`), from the knowledge base (`howto`) or by people only (`none`)
/// - `responder.knowledge` (`config/knowledge`): directory of Markdown articles with front matter
/// - `responder.replies` (`config/replies`): one `<language>.yaml` per language the responder answers in: its
///   sentences, money and date formats, the knowledge search's stop words and suffixes, and the words the LLM
///   grounding guard reads as months and currencies (`ReplyLanguages`); loading fails when a language lacks a sentence
/// - `responder.fallback_language` (`en`): the language of the answer to an inquiry in a language without a file
/// - `responder.min_article_score` (3.5): BM25 score (plus `responder.intent_boost` when the article lists the
///   inquiry's intent) below which a how-to question is handed off
/// - `responder.intent_boost` (2.0)
/// - `responder.max_replies_per_conversation` (3): after this many AI replies in a conversation, hand off
/// - `responder.due_date.max_days` (14): how far a due date can be moved (`DueDateRules`)
/// - `responder.llm.*`: the optional LLM backend, off unless `responder.llm.url` is set (see `LLMConfiguration`)
public enum ResponderSetup {
    public static func responder(configuration: FleetConfiguration) throws -> Responder {
        let reader = configuration.reader
        let catalog = try IntentCatalog.load(path: reader.string(forKey: "responder.catalog", default: "config/intents.yaml"))
        let languages = try ReplyLanguages.load(
            directory: reader.string(forKey: "responder.replies", default: "config/replies"),
            fallback: reader.string(forKey: "responder.fallback_language", default: "en")
        )
        let knowledge = try KnowledgeBase.load(
            directory: reader.string(forKey: "responder.knowledge", default: "config/knowledge"),
            intentBoost: reader.double(forKey: "responder.intent_boost", default: 2.0),
            languages: languages
        )
        let maximumDays = reader.int(forKey: "responder.due_date.max_days", default: 14)
        guard maximumDays > 0 else {
            throw ConfigurationError(.invalidSetting, key: "responder.due_date.max_days", reason: "must be a positive number of days, not \(maximumDays)")
        }
        return Responder(
            catalog: catalog, knowledge: knowledge, languages: languages,
            account: AccountAnswerer(dueDates: DueDateRules(maximumDays: maximumDays)),
            minimumArticleScore: reader.double(forKey: "responder.min_article_score", default: 3.5),
            maximumRepliesPerConversation: reader.int(forKey: "responder.max_replies_per_conversation", default: 3)
        )
    }

    public static func handler(_ context: WorkerApp.Context) throws -> ResponderHandler {
        let llm = try LLMConfiguration.load(from: context.configuration).map { configuration in
            context.logger.info("LLM backend enabled", metadata: ["llm": "\(configuration)"])
            return LLMPhraser(configuration: configuration, logger: context.logger)
        }
        return ResponderHandler(responder: try self.responder(configuration: context.configuration), llm: llm)
    }
}
