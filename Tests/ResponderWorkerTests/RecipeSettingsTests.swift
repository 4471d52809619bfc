import ClassifierWorker
import ConciergeRuntime
import Configuration
import ResponderWorker
import Testing

/// The classifier's and responder's recipes read their settings from configuration: every key, and a clear error that
/// names a bad one.
struct RecipeSettingsTests {
    static func configuration(_ values: [AbsoluteConfigKey: ConfigValue]) -> FleetConfiguration {
        FleetConfiguration(reader: ConfigReader(provider: InMemoryProvider(values: values)))
    }

    @Test func classifierSettingsReadTheirKeys() {
        let settings = ClassifierWorker.settings(
            from: Self.configuration([
                "classifier.catalog": "c.yaml", "classifier.routing": "r.yaml", "classifier.languages": "langs",
                "classifier.default_language": "sv", "classifier.model": "m.model",
                "classifier.producers": .init(.stringArray(["web", "app"]), isSecret: false),
            ])
        )
        #expect(settings.catalog == "c.yaml")
        #expect(settings.routing == "r.yaml")
        #expect(settings.languages == "langs")
        #expect(settings.defaultLanguage == "sv")
        #expect(settings.model == "m.model")
        #expect(settings.producers == ["web", "app"])
        let defaults = ClassifierWorker.settings(from: Self.configuration([:]))
        #expect(defaults.catalog == "config/intents.yaml")
        #expect(defaults.producers.isEmpty)
        #expect(ClassifierWorker.name == "classifier")
    }

    @Test func responderSettingsReadTheirKeysAndRefuseABadOne() throws {
        let settings = try ResponderWorker.settings(
            from: Self.configuration([
                "responder.catalog": "c.yaml", "responder.knowledge": "kb", "responder.replies": "rp",
                "responder.fallback_language": "sv", "responder.min_article_score": 4.5, "responder.intent_boost": 1.5,
                "responder.max_replies_per_conversation": 5, "responder.due_date.max_days": 7,
            ])
        )
        #expect(settings.catalog == "c.yaml")
        #expect(settings.knowledge == "kb")
        #expect(settings.replies == "rp")
        #expect(settings.fallbackLanguage == "sv")
        #expect(settings.minimumArticleScore == 4.5)
        #expect(settings.intentBoost == 1.5)
        #expect(settings.maximumRepliesPerConversation == 5)
        #expect(settings.dueDateMaximumDays == 7)
        #expect(settings.producers == ["concierge-classifier"])
        #expect(settings.llm == nil)
        let error = try #require(throws: ConfigurationError.self) {
            try ResponderWorker.settings(from: Self.configuration(["responder.due_date.max_days": 0]))
        }
        #expect(error.key == "responder.due_date.max_days")
    }
}
