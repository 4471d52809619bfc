import ClassifierWorker
import ConciergeCore
import ConciergeYAML
import Foundation
import ResponderWorker
import Testing

/// Issue #15: a fourth language is only data. Dutch is added here the way an operator would add it — files in the
/// classifier's languages directory, the responder's replies directory and the knowledge directory, written to a
/// temporary directory beside copies of the shipped ones — and nothing else: the same detectors, responder and
/// grounding guard, built from those directories, detect it, catch its sensitive phrases and requests for a person,
/// answer in it with its money and date formats, search its article with its stop words and read its month names.
/// Each check is paired with the shipped files, which do not know Dutch, so it is the data that makes it pass.
@Suite struct FourthLanguageAsDataTests {
    /// The classifier's Dutch file: the shipped function words (Dutch is already detected, its inquiries go to a
    /// person) plus a few more, and the safety-net lists a language the AI answers must have.
    static let dutchSignals = """
        language: nl
        function_words: [de, het, is, mijn, ik, niet, en, betaling, waar, wanneer, een, waarom, met, terugbetaling, wil,
          heb, je, jullie, voor, dat, van, op]
        sensitive_topics:
          fraud: [oplichting, fraude, "niet door mij gedaan", "ken ik niet", gehackt]
          hardship: ["kan niet betalen", schulden, "baan verloren"]
          bereavement: [overleden, "is gestorven", nalatenschap]
        distress:
          severe: [zelfmoord, "wil niet meer leven", advocaat, "dakloos"]
          weighted: { boos: 1.5, woedend: 2, bezorgd: 2, bang: 2, wanhopig: 2.5 }
        human_request:
          people: [mens, medewerker, persoon, iemand, klantenservice]
          verbs: [spreken, praten, wil, bellen]
          phrases: ["echte persoon", "geen bot", "een echt mens"]
        """

    /// A Dutch knowledge article.
    static let dutchArticle = """
        ---
        id: promo-codes-nl
        title: Kortingscodes en vouchers
        intents: [promo_code_discount]
        language: nl
        ---

        # Kortingscodes en vouchers

        Een kortingscode van een winkel vul je in bij het afrekenen in de winkel, niet in onze app.

        ## Een code die niet werkt
        Controleer of de code nog geldig is en of de winkel de code voor jouw bestelling accepteert.
        """

    /// The responder's Dutch file: the English file with Dutch formats, search rules and the sentences an account
    /// answer about a payment uses (the other sentences stay English in this fixture; the loader only needs every key).
    static func dutchReplies(english: String) -> String {
        var lines = english.components(separatedBy: "\n")
        func replace(_ prefix: String, with replacement: String) {
            guard let index = lines.firstIndex(where: { $0.hasPrefix(prefix) }) else {
                Issue.record("en.yaml has no line starting \(prefix)")
                return
            }
            lines[index] = replacement
        }
        replace("language: ", with: "language: nl")
        replace("name: ", with: "name: \"Dutch (informal je)\"")
        replace("  decimal_separator: ", with: "  decimal_separator: \",\"")
        replace("  grouping_separator: ", with: "  grouping_separator: \".\"")
        replace("  pattern: \"{number} {currency}\"", with: "  pattern: \"{currency} {number}\"")
        replace("  currency_symbols: ", with: "  currency_symbols: { EUR: \"€\" }")
        replace("  currency_words: ", with: "  currency_words: { euro: EUR }")
        replace(
            "  months: ",
            with:
                "  months: [januari, februari, maart, april, mei, juni, juli, augustus, september, oktober, november, december]"
        )
        replace("  other_month_names: ", with: "  other_month_names: { mrt: maart, okt: oktober }")
        replace("    sep: September", with: "")
        replace("  purchase: ", with: "  purchase: \"{shop} (bestelling {order})\"")
        replace("  and: ", with: "  and: \"en\"")
        replace(
            "    succeeded: ",
            with: "    succeeded: \"Je betaling van {amount} voor {purchase} op {date} is ontvangen.\"")
        replace("    scheduled: ", with: "    scheduled: \"Je volgende termijn van {amount} vervalt op {date}.\"")
        let search = lines.firstIndex { $0 == "search:" }
        let templates = lines.firstIndex { $0 == "templates:" }
        if let search, let templates {
            lines.replaceSubrange(
                search..<templates,
                with: [
                    "search:",
                    "  stop_words: [de, het, een, en, of, ik, mijn, je, jij, is, op, in, van, voor, met, hoe, wat, waar, niet, kan]",
                    "  suffixes: [en, s]",
                ])
        } else {
            Issue.record("en.yaml has no search: section before templates:")
        }
        return lines.joined(separator: "\n")
    }

    /// The shipped directories copied to a temporary one, with the Dutch files added.
    struct Directories {
        let root: URL
        var languages: String { self.root.appendingPathComponent("languages").path }
        var replies: String { self.root.appendingPathComponent("replies").path }
        var knowledge: String { self.root.appendingPathComponent("knowledge").path }

        init() throws {
            let files = FileManager.default
            self.root = files.temporaryDirectory.appendingPathComponent("concierge-nl-\(UUID().uuidString)")
            let shipped = ResponderFixtures.root.appendingPathComponent("config")
            for name in ["languages", "replies", "knowledge"] {
                try files.createDirectory(at: self.root, withIntermediateDirectories: true)
                try files.copyItem(at: shipped.appendingPathComponent(name), to: self.root.appendingPathComponent(name))
            }
            let english = try String(contentsOf: shipped.appendingPathComponent("replies/en.yaml"), encoding: .utf8)
            // nl.yaml replaces the shipped one (function words only): the language becomes one the AI may answer.
            try FourthLanguageAsDataTests.dutchSignals.write(
                toFile: self.languages + "/nl.yaml", atomically: true, encoding: .utf8)
            try FourthLanguageAsDataTests.dutchReplies(english: english).write(
                toFile: self.replies + "/nl.yaml", atomically: true, encoding: .utf8)
            try FourthLanguageAsDataTests.dutchArticle.write(
                toFile: self.knowledge + "/promo-codes.nl.md", atomically: true, encoding: .utf8)
        }

        func remove() { try? FileManager.default.removeItem(at: self.root) }
    }

    @Test func theClassifierDetectsDutchAndItsSafetyNetCatchesDutch() throws {
        let directories = try Directories()
        defer { directories.remove() }
        let signals = try LanguageSignals.load(directory: directories.languages)
        let shipped = LanguageSignals.shipped

        #expect(LanguageDetector(signals).detect("Waar is mijn betaling? Ik heb het gisteren betaald") == "nl")
        #expect(LanguageDetector(signals).detect("Where is my payment? I paid it yesterday") == "en")

        let bereavement = "Mijn vader is overleden, wat gebeurt er met zijn betalingen?"
        #expect(SensitiveTopicDetector(signals).detect(bereavement))
        #expect(!SensitiveTopicDetector(shipped).detect(bereavement))
        #expect(SensitiveTopicDetector(signals).detect("Er staat een aankoop op mijn rekening die ken ik niet"))

        #expect(HumanRequestDetector(signals).detect("ik wil een mens spreken"))
        #expect(!HumanRequestDetector(shipped).detect("ik wil een mens spreken"))
        #expect(!HumanRequestDetector(signals).detect("Wanneer is mijn volgende betaling?"))

        #expect(DistressDetector(signals).assess("Ik ben wanhopig, ik heb een advocaat gebeld") == .severe)
        #expect(DistressDetector(shipped).assess("Ik ben wanhopig, ik heb een advocaat gebeld") == .none)

        // Adding nl to ai_languages is allowed with this file, refused with the shipped one (function words only).
        try signals.requireSafetyNet(for: ["en", "de", "sv", "nl"])
        #expect(throws: ConfigurationFileError.self) { try shipped.requireSafetyNet(for: ["en", "de", "sv", "nl"]) }
    }

    @Test func theResponderAnswersInDutchWithDutchMoneyAndDates() throws {
        let directories = try Directories()
        defer { directories.remove() }
        let languages = try ReplyLanguages.load(directory: directories.replies)
        let responder = Responder(
            catalog: ResponderFixtures.catalog,
            knowledge: try KnowledgeBase.load(directory: directories.knowledge, languages: languages),
            languages: languages
        )
        // 3 749,50 € in three: the first instalment paid on the day of purchase, the next a month later.
        let zalando = ResponderFixtures.purchase(
            id: "p1", customer: "c", merchant: "Zalando", reference: "ZL-448812", amount: 374_850, on: "2026-10-03")
        let routed = ResponderFixtures.routed(
            id: "i1", customer: "c", text: "is mijn betaling gelukt?", intent: "payment_status", language: "nl")
        let outcome = responder.respond(
            to: routed, facts: CustomerFacts(customerID: "c", purchases: [zalando]), history: .init())
        guard case .reply(let reply) = outcome else {
            Issue.record("no reply: \(outcome)")
            return
        }
        #expect(reply.kind == "answer")
        #expect(
            reply.text
                == "Je betaling van € 1.249,50 voor Zalando (bestelling ZL-448812) op 3 oktober 2026 is ontvangen. Je volgende termijn van € 1.249,50 vervalt op 3 november 2026."
        )
    }

    @Test func theKnowledgeSearchReadsDutchWithItsStopWords() throws {
        let directories = try Directories()
        defer { directories.remove() }
        let languages = try ReplyLanguages.load(directory: directories.replies)
        let knowledge = try KnowledgeBase.load(directory: directories.knowledge, languages: languages)
        #expect(knowledge.search("Mijn kortingscode werkt niet", language: "nl").first?.article.id == "promo-codes-nl")
        // Only Dutch stop words: nothing to search for. Without nl's search rules they would match the article.
        #expect(knowledge.search("de het een in van", language: "nl").isEmpty)
        #expect(
            try KnowledgeBase.load(directory: directories.knowledge, languages: ResponderFixtures.languages)
                .search("de het een in van", language: "nl").first?.article.id == "promo-codes-nl")
    }

    @Test func theGroundingGuardReadsDutchMonthNames() throws {
        let directories = try Directories()
        defer { directories.remove() }
        let vocabulary = try ReplyLanguages.load(directory: directories.replies).statedValues
        func dates(_ values: [StatedValue]) -> [[String]] {
            values.compactMap { value in
                guard case .date(let date) = value else { return nil }
                return date.readings.map { "\($0.year.map(String.init) ?? "-")-\($0.month)-\($0.day)" }.sorted()
            }
        }
        #expect(dates(StatedValue.extract(from: "op 3 maart 2027", vocabulary: vocabulary)) == [["2027-3-3"]])
        #expect(dates(StatedValue.extract(from: "op 3 mrt 2027", vocabulary: vocabulary)) == [["2027-3-3"]])
        #expect(dates(StatedValue.extract(from: "op 3 maart 2027")).isEmpty)

        // An LLM answer that invents a Dutch date is caught; one that restates the facts passes.
        let guardrail = GroundingGuard(
            sources: ["Je volgende termijn van € 49,99 vervalt op 3 november 2026."], vocabulary: vocabulary)
        #expect(guardrail.ungrounded(in: "Je betaalt € 49,99 op 3 november 2026.").isEmpty)
        #expect(guardrail.ungrounded(in: "Je betaalt € 49,99 op 3 mei 2027.").count == 1)
    }
}

/// A month or currency word two reply languages read differently would make the grounding guard accept an invented
/// value in one of them: loading refuses it, naming the file.
@Suite struct ReadingVocabularyTests {
    @Test func aMonthWordTwoLanguagesReadDifferentlyIsRefused() throws {
        let english = try String(
            contentsOf: ResponderFixtures.root.appendingPathComponent("config/replies/en.yaml"), encoding: .utf8)
        let clash = english.replacingOccurrences(of: "language: en", with: "language: xx")
            .replacingOccurrences(
                of: "  other_month_names: { jan: January,", with: "  other_month_names: { mai: January, jan: January,")
        #expect(clash != english.replacingOccurrences(of: "language: en", with: "language: xx"))
        let german = ResponderFixtures.language("de")
        let xx = try ReplyLanguage.parse(yaml: clash, file: "xx.yaml")
        #expect(xx.otherMonthNames["mai"] == 1)
        do {
            _ = try ReplyLanguages([ResponderFixtures.language("en"), german, xx])
            Issue.record("a month word read as January and as May was accepted")
        } catch {
            #expect(error.code == .invalidFormat)
            #expect(error.file == "xx.yaml" || error.file == "de.yaml", "\(error)")
            #expect(error.description.contains("'mai'"), "\(error)")
        }
    }
}
