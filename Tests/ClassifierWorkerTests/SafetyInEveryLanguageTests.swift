import ClassifierWorker
import ConciergeCore
import ConciergeIntents
import IntentClassifier
import Testing

/// The sensitive-topic safety net, distress and "talk to a person" work in every language the AI answers, as well as
/// in English. The messages below are not in the catalog (held out), except where the property test says so.
@Suite struct SafetyInEveryLanguageTests {
    /// Property: no sensitive example of the catalog, in any of its languages, is routed to the AI — and neither is it
    /// with the intent model taken away (the phrase net alone must catch it, or the model must), nor as a VIP.
    @Test func noSensitiveCatalogExampleInAnyLanguageIsRoutedToTheAI() {
        let catalog = ShippedClassifier.catalog
        var checked = 0
        for intent in catalog.intents where intent.sensitive {
            for example in intent.examples {
                let (_, decision) = ShippedClassifier.decide(example)
                #expect(decision.route != .ai, "\(intent.name): \(example) -> \(decision.reasons)")
                checked += 1
            }
        }
        #expect(checked >= 6 * 50)
    }

    /// The catalog holds German and Swedish examples for every sensitive intent (at least three each that the language
    /// detector recognises; short ones it cannot tell are not counted).
    @Test func everySensitiveIntentHasGermanAndSwedishExamples() {
        let languages = LanguageDetector()
        for intent in ShippedClassifier.catalog.intents where intent.sensitive {
            let detected = intent.examples.compactMap { languages.detect($0) }
            #expect(detected.count { $0 == "de" } >= 3, "\(intent.name): German")
            #expect(detected.count { $0 == "sv" } >= 3, "\(intent.name): Swedish")
        }
    }

    /// The reported miss: a German customer reporting purchases they did not make went to the AI as an order question.
    @Test(arguments: [
        "Hallo, auf meinem Konto sind zwei Bestellungen bei Otto, die ich gar nicht gemacht habe",
        "Ich sehe Käufe in meinem Konto, die nicht von mir sind",
        "Wer hat bei About You in meinem Namen bestellt? Ich war das nicht",
        "Da wurde 120 € abgebucht für etwas, das ich nie bestellt habe",
        "Mein Konto wurde gehackt, da sind fremde Käufe",
        "Ich habe meinen Job verloren und kann die Rate im Dezember nicht bezahlen",
        "Meine Oma ist gestorben, sie hatte noch einen Ratenkauf",
        "Ich will eine Beschwerde einreichen",
        "Löscht bitte sofort meine Daten",
        "Jag ser köp på mitt konto som jag inte har gjort",
        "Någon har beställt i mitt namn hos Ellos, det var inte jag",
        "Det har dragits 1 200 kr för något jag aldrig beställt",
        "Mitt konto är hackat och det finns okända köp",
        "Jag har förlorat jobbet och kan inte betala räkningen",
        "Min mormor har gått bort och hade en delbetalning kvar",
        "Jag vill lämna ett klagomål",
        "Radera mina uppgifter omedelbart",
    ])
    func sensitiveGermanAndSwedishGoToHumans(text: String) {
        let (analysis, decision) = ShippedClassifier.decide(text)
        #expect(decision.route.isHuman, "\(text) -> \(analysis.prediction.label) \(decision.reasons)")
    }

    @Test(arguments: [
        "Ich möchte mit einem Menschen sprechen", "Kann ich bitte mit dem Kundenservice reden?",
        "verbinden Sie mich mit einem Sachbearbeiter", "Kein Bot bitte, eine echte Person",
        "Jag vill prata med en människa", "Kan jag få tala med någon på kundtjänst?", "koppla mig till en handläggare",
        "ingen bot tack, en riktig person",
    ])
    func asksForAPersonInGermanAndSwedish(text: String) {
        #expect(HumanRequestDetector().detect(text), "\(text)")
        let (_, decision) = ShippedClassifier.decide("\(text). Meine Zahlung / min betalning")
        #expect(decision.reasons.contains("asked_for_human"))
    }

    @Test(arguments: [
        "när är min nästa betalning", "har ni fått min betalning för Zalando", "wann ist meine nächste Rate fällig",
        "die Person im Laden sagte, es wurde erstattet", "personen i butiken sa att det var återbetalt",
    ])
    func ordinaryGermanAndSwedishQuestionsAreNotRequestsForAPerson(text: String) {
        #expect(!HumanRequestDetector().detect(text), "\(text)")
        #expect(!SensitiveTopicDetector().detect(text), "\(text)")
    }

    @Test func gradesDistressInGermanAndSwedish() {
        let detector = DistressDetector()
        #expect(detector.assess("wann ist meine nächste Rate fällig?") == .none)
        #expect(detector.assess("när ska jag betala nästa delbetalning?") == .none)
        #expect(detector.assess("Ich bin besorgt, wurde ich doppelt belastet?") == .mild)
        #expect(detector.assess("Jag är orolig, har jag debiterats två gånger?") == .mild)
        #expect(detector.assess("Ich will nicht mehr leben, ich habe so viele Schulden") == .severe)
        #expect(detector.assess("Jag orkar inte mer, jag vill inte leva") == .severe)
        #expect(detector.assess("Jag är förbannad och förtvivlad, det här är oacceptabelt") == .severe)
        #expect(detector.assess("Mein Mann ist im Krankenhaus und ich bin verzweifelt") == .severe)
    }

    @Test func detectsSwedish() {
        let detector = LanguageDetector()
        #expect(detector.detect("När är min nästa betalning och hur mycket är det?") == "sv")
        #expect(detector.detect("Jag har inte fått min återbetalning för skorna") == "sv")
    }
}
