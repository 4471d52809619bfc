import ClassifierWorker
import ConciergeCore
import Testing

@Suite struct SignalDetectorTests {
    @Test(arguments: [
        "can I talk to a human", "Can i speak to a real person please?", "I want to speak with an agent",
        "human please", "get me a person", "connect me to a representative", "stop the bot, let me chat to someone",
        "Ich möchte mit einem Mitarbeiter sprechen", "bitte einen echten Menschen",
    ])
    func detectsRequestsForAPerson(text: String) {
        #expect(HumanRequestDetector().detect(text))
    }

    @Test(arguments: [
        "where is my refund", "when is my next payment due", "the person at the shop said it was refunded",
        "how do I change my card", "my agent number is 42",
    ])
    func ignoresOrdinaryQuestions(text: String) {
        #expect(!HumanRequestDetector().detect(text))
    }

    @Test func gradesDistress() {
        let detector = DistressDetector()
        #expect(detector.assess("when is my next instalment due?") == .none)
        #expect(detector.assess("I'm really worried, I think I was charged twice") == .mild)
        #expect(detector.assess("THIS IS ABSOLUTELY UNACCEPTABLE, YOU PEOPLE ARE USELESS!!") == .severe)
        #expect(detector.assess("my husband passed away last week and there is still a payment plan") == .severe)
        #expect(detector.assess("I lost my job and I'm desperate") == .severe)
    }

    /// Lists are normalised like messages (diacritics folded, apostrophes dropped), so accented and typographic
    /// spellings match.
    @Test func matchesAccentedAndApostrophedSpellings() {
        #expect(DistressDetector().assess("Das ist eine Frechheit, ich bin wütend") == .severe)
        #expect(SensitiveTopicDetector().detect("Mein Vater ist verstorben"))
        #expect(SensitiveTopicDetector().detect("I can’t pay this month"))
        #expect(SensitiveTopicDetector().detect("I can't pay this month"))
    }

    @Test func findsSensitiveTopicsWhateverTheIntent() {
        let detector = SensitiveTopicDetector()
        #expect(detector.detect("I didn't make this purchase, is this fraud?"))
        #expect(detector.detect("my mother died, I have power of attorney"))
        #expect(detector.detect("I can't pay this month"))
        #expect(!detector.detect("did my payment go through"))
    }

    @Test func detectsLanguages() {
        let detector = LanguageDetector()
        #expect(detector.detect("Wann ist meine nächste Zahlung fällig? Ich habe die Rechnung nicht") == "de")
        #expect(detector.detect("where is my refund for the shoes I returned") == "en")
        #expect(detector.detect("où est mon remboursement, je ne le vois pas") == "fr")
        #expect(detector.detect("ok") == nil)
    }
}
