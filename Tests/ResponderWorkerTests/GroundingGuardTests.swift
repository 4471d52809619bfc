import ConciergeRuntime
import Configuration
import Foundation
import ResponderWorker
import Testing

/// Extraction of amounts, dates and references, and the guard that compares them across formats.
struct GroundingGuardTests {
    static func amounts(_ text: String) -> [Set<Int64>] {
        StatedValue.extract(from: text).compactMap { if case .amount(let a) = $0 { a.thousandths } else { nil } }
    }

    @Test(
        arguments: [
            ("You paid 49.99 today", [49_990]),
            ("Du hast 49,99 € bezahlt", [49_990]),
            ("a total of 1,249.99 EUR", [1_249_990]),
            ("insgesamt 1.249,99 €", [1_249_990]),
            ("€32.5 and £12", [32_500]),
            ("25 euros", [25_000]),
            ("EUR 7.00", [7_000]),
        ] as [(String, [Int64])])
    func amountsInEveryFormat(_ text: String, _ expected: [Int64]) {
        let found = Self.amounts(text)
        #expect(found.count >= expected.count)
        for (value, readings) in zip(expected, found) { #expect(readings.contains(value), "\(text)") }
    }

    /// Characters Unicode calls numbers but `Int()` refuses (superscripts, fractions, other scripts' digits) are
    /// not digits: an LLM's "²/3" once crashed the responder on a force-unwrapped `Int(…)!`.
    @Test(arguments: ["²/3", "½/4", "٣/٤", "3/²", "²²-³³-²⁰²⁶", "€²,⁵⁰", "1²th of March", "ref ²³⁴⁵⁶ and x²³⁴"])
    func numberLikeCharactersThatAreNotDigitsDoNotCrash(_ text: String) {
        let values = StatedValue.extract(from: text)
        #expect(values.allSatisfy { if case .date = $0 { false } else { true } }, "\(text): \(values)")
        #expect(GroundingGuard(sources: ["You paid 49.99 EUR"]).ungrounded(in: text).isEmpty, "\(text)")
        #expect(Self.amounts(text).isEmpty, "\(text)")
    }

    /// Found by `scripts/fuzz stated-values`: a number whose digit groups join to more than Int64 holds in thousandths
    /// ("22423203040.443.444", minimised from what it found, read as thousands grouping) overflowed `major * 1000` and
    /// crashed the responder. A reading beyond the range is dropped (the number may still have another reading, or be
    /// no amount at all); one just inside the range is kept.
    @Test(
        arguments: [
            ("a total of 12345678901.234.567,89 EUR", []),
            ("€92.233.720.368.547.758,07", []),
            ("ref 22423203040.443.444", [[22_423_203_040_443_444]]),
            ("€9.223.372.036.854.775,80", [[9_223_372_036_854_775_800]]),
        ] as [(String, [Set<Int64>])])
    func amountReadingsBeyondInt64AreDroppedNotACrash(_ text: String, _ expected: [Set<Int64>]) {
        #expect(Self.amounts(text) == expected, "\(text)")
        #expect(GroundingGuard(sources: [text]).ungrounded(in: text).isEmpty, "\(text)")
    }

    /// Found by `scripts/fuzz stated-values`: a date-shaped number with a part too long for `Int`
    /// ("4052-0-0355555555555555555523") left two numbers for three parts and crashed the responder. It is no date.
    @Test(arguments: ["due 4052-0-0355555555555555555523", "on 1.2.99999999999999999999", "3/4/99999999999999999999"])
    func datePartsBeyondIntAreNoDateNotACrash(_ text: String) {
        let values = StatedValue.extract(from: text)
        #expect(values.allSatisfy { if case .date = $0 { false } else { true } }, "\(text): \(values)")
        #expect(GroundingGuard(sources: [text]).ungrounded(in: text).isEmpty, "\(text)")
    }

    @Test func numbersThatAreNotAmountsAreIgnored() {
        #expect(Self.amounts("your 3 instalments, 2 working days, year 2026, pay_in_3").isEmpty)
        #expect(Self.amounts("order ZL-448812").isEmpty)
    }

    @Test func ambiguousThousandsAreReadBothWays() {
        #expect(Self.amounts("1,500 EUR") == [[1_500_000, 1_500]])
    }

    @Test(arguments: [
        "3 March 2026", "3. März 2026", "March 3, 2026", "3rd of March 2026", "2026-03-03", "03.03.2026", "3/3/2026",
        "3 Mar 2026",
    ])
    func datesInEveryFormatMatchTheISODate(_ text: String) {
        let guardrail = GroundingGuard(sources: ["instalment 2 of 24.99 EUR due 2026-03-03, scheduled"])
        #expect(
            StatedValue.extract(from: "due on \(text).").contains { if case .date = $0 { true } else { false } },
            "\(text)")
        #expect(guardrail.ungrounded(in: "It is due on \(text).").isEmpty, "\(text)")
        #expect(
            !guardrail.ungrounded(in: "It is due on \(text.replacingOccurrences(of: "3", with: "4"))").isEmpty,
            "\(text)")
    }

    @Test func dateWithoutYearMatchesThatDay() {
        let guardrail = GroundingGuard(sources: ["Your next instalment is due on 3 April 2026."])
        #expect(guardrail.ungrounded(in: "It is due on 3 April.").isEmpty)
        #expect(guardrail.ungrounded(in: "It is due on April 4th.").count == 1)
        #expect(guardrail.ungrounded(in: "It is due on 3/4.").isEmpty)
        #expect(guardrail.ungrounded(in: "It is due on 5/4.").count == 1)
    }

    @Test func referencesAreComparedWithoutSeparatorsOrCase() {
        let guardrail = GroundingGuard(sources: ["Zalando ZL-448812, 49.99 EUR on 2026-03-03"])
        #expect(StatedValue.extract(from: "order zl448812") == [.reference("zl448812")])
        #expect(guardrail.ungrounded(in: "Your order ZL448812 and order 448812").isEmpty)
        #expect(guardrail.ungrounded(in: "Your order ZL-448813") == [.reference("zl448813")])
        #expect(guardrail.ungrounded(in: "Your order 5512345").count == 1)
    }

    @Test func reformattedFactsPassAndInventedValuesAreCaught() {
        let sources = [
            "Zalando ZL-448812, 74.97 EUR on 2026-03-03, pay_in_3, active, delivery delivered, next 24.99 EUR due 2026-04-03",
            "Your payment of 24.99 EUR to Zalando (order ZL-448812) on 3 March 2026 was received. Your next instalment of 24.99 EUR is due on 3 April 2026.",
        ]
        let guardrail = GroundingGuard(sources: sources)
        #expect(
            guardrail.ungrounded(
                in:
                    "Deine Zahlung von 24,99 € für Bestellung ZL-448812 kam am 3. März an; die nächste Rate ist am 03.04.2026 fällig."
            ).isEmpty)
        #expect(guardrail.ungrounded(in: "Your purchase of €74.97 is on track; 3 instalments in total.").isEmpty)
        #expect(guardrail.ungrounded(in: "Your next instalment of 24.99 GBP is due on 3 April.").count == 1)
        #expect(guardrail.ungrounded(in: "A late fee of 5.00 EUR applies from 10 April 2026.").count == 2)
    }
}

/// The backend is off unless a URL is configured, and its description never shows the key.
struct LLMConfigurationTests {
    @Test func offByDefaultAndTheKeyIsNeverDescribed() throws {
        #expect(
            try LLMConfiguration.load(
                from: FleetConfiguration(reader: ConfigReader(provider: InMemoryProvider(values: [:])))) == nil)
        let configured = try #require(
            try LLMConfiguration.load(
                from: FleetConfiguration(
                    reader: ConfigReader(
                        provider: InMemoryProvider(values: [
                            "responder.llm.url": "http://127.0.0.1:8000/v1", "responder.llm.model": "small",
                            "fleet.development": true,
                            "responder.llm.api_key": .init(.string("sk-secret-123"), isSecret: true),
                            "responder.llm.timeout_ms": 1500,
                        ])
                    )
                )
            )
        )
        #expect(
            configured.url == "http://127.0.0.1:8000/v1" && configured.model == "small"
                && configured.apiKey == "sk-secret-123")
        #expect(configured.timeout == .milliseconds(1500) && configured.maxAttempts == 3)
        #expect(!configured.description.contains("sk-secret-123"))
    }
}
