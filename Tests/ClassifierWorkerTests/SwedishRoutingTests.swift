import ClassifierWorker
import ConciergeCore
import ConciergeIntents
import IntentClassifier
import Testing

/// Swedish is an AI language: Swedish questions the AI answers are detected as Swedish, classified and routed to the
/// AI; sensitive ones still go to people (see also `SafetyInEveryLanguageTests`). The messages below are held out:
/// none is a catalog example.
@Suite struct SwedishRoutingTests {
    @Test(arguments: [
        ("Har ni fått min betalning för jackan från Ellos?", "payment_status"),
        ("När ska jag betala min nästa delbetalning?", "next_instalment"),
        ("Jag returnerade byxorna förra veckan, när får jag tillbaka pengarna?", "refund_status"),
        ("Varför misslyckades min betalning i går?", "payment_failed"),
        ("Varför har jag fått en förseningsavgift på min faktura?", "late_fee"),
        ("Mitt paket från Zalando har fortfarande inte kommit fram", "order_not_received"),
        ("Hur mycket har jag kvar att betala på alla mina köp?", "payment_schedule_overview"),
        ("Hur byter jag kortet som ni drar pengarna från?", "change_payment_method"),
        ("Kan jag skjuta upp min förfallodag en vecka?", "extend_due_date"),
        ("Jag har glömt mitt lösenord och kan inte logga in", "account_login"),
        ("Hur returnerar jag en klänning som jag har köpt med er?", "return_item"),
        ("Kan jag betala hela köpet i förtid?", "pay_early"),
    ])
    func swedishQuestionsTheAIAnswersGoToTheAI(text: String, intent: String) {
        let (analysis, decision) = ShippedClassifier.decide(text)
        #expect(analysis.language == "sv", "\(text)")
        #expect(analysis.intent == intent, "\(text) -> \(analysis.prediction.label)")
        #expect(decision.route == .ai, "\(text) -> \(decision.reasons)")
    }

    @Test(arguments: [
        "Det finns ett köp på mitt konto som jag inte känner igen",
        "Jag har förlorat jobbet och kan inte betala nästa delbetalning",
        "Min pappa har gått bort, vad händer med hans delbetalningar?",
        "Jag vill bestrida köpet, varan var trasig och butiken svarar inte",
    ])
    func sensitiveSwedishQuestionsStillGoToPeople(text: String) {
        let (analysis, decision) = ShippedClassifier.decide(text)
        #expect(analysis.language == "sv", "\(text)")
        #expect(decision.route.isHuman, "\(text) -> \(decision.reasons)")
    }

    /// Property over the catalog: every Swedish example of an intent the AI answers is detected as Swedish (so it is
    /// routed as Swedish, not as an unsupported language) and, the model trained on it, routed to the AI.
    @Test func everySwedishCatalogExampleOfAnAIIntentIsRoutedToTheAI() {
        let detector = LanguageDetector()
        var checked = 0
        for intent in ShippedClassifier.catalog.intents where intent.route == .ai {
            let swedish = intent.examples.filter { detector.detect($0) == "sv" }
            #expect(swedish.count >= 5, "\(intent.name): \(swedish.count) Swedish examples")
            for example in swedish {
                let (_, decision) = ShippedClassifier.decide(example)
                #expect(decision.route == .ai, "\(intent.name): \(example) -> \(decision.reasons)")
                checked += 1
            }
        }
        #expect(checked >= 22 * 5)
    }

    @Test func swedishIsAnAILanguageAndAnUnsupportedLanguageStillGoesToAPerson() {
        #expect(ShippedClassifier.policy.aiLanguages == ["en", "de", "sv"])
        let (analysis, decision) = ShippedClassifier.decide(
            "Quand est mon prochain paiement et où est mon remboursement?")
        #expect(analysis.language == "fr")
        #expect(decision.route == .human)
        #expect(decision.reasons.contains("language:fr"), "\(decision.reasons)")
    }
}
