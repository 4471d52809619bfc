import ConciergeCore
import ResponderWorker
import Testing

/// SEK, EUR and GBP amounts and dates as each AI language writes them (`config/replies/<code>.yaml`). Swedish groups
/// thousands and separates the currency with a no-break space (U+00A0), written `\u{00A0}` below.
@Suite struct LanguageFormattingTests {
    @Test(
        arguments: [
            (123_450, "SEK", "sv", "1\u{00A0}234,50\u{00A0}kr"),
            (123_450, "SEK", "en", "1,234.50 SEK"),
            (123_450, "SEK", "de", "1.234,50 SEK"),
            (123_450, "EUR", "sv", "1\u{00A0}234,50\u{00A0}€"),
            (123_450, "EUR", "en", "1,234.50 EUR"),
            (123_450, "EUR", "de", "1.234,50 €"),
            (123_450, "GBP", "sv", "1\u{00A0}234,50\u{00A0}£"),
            (123_450, "GBP", "en", "1,234.50 GBP"),
            (123_450, "GBP", "de", "1.234,50 £"),
            (4_999, "SEK", "sv", "49,99\u{00A0}kr"),
            (5, "SEK", "sv", "0,05\u{00A0}kr"),
            (100_000_000, "SEK", "sv", "1\u{00A0}000\u{00A0}000,00\u{00A0}kr"),
            (-2_500, "SEK", "sv", "-25,00\u{00A0}kr"),
            // "kr" alone would not say which crowns: other currencies keep their code.
            (150_000, "NOK", "sv", "1\u{00A0}500,00\u{00A0}NOK"),
            (1_500, "JPY", "sv", "1\u{00A0}500\u{00A0}JPY"),
        ] as [(Int64, String, String, String)])
    func formatsAmountsPerLanguage(minor: Int64, currency: String, language: String, expected: String) throws {
        let money = Money(minorUnits: minor, currency: try Currency(code: currency))
        #expect(money.formatted(ResponderFixtures.language(language)) == expected)
    }

    @Test(arguments: [
        (CalendarDate(year: 2027, month: 1, day: 15), "15 januari 2027", "15 January 2027", "15. Januar 2027"),
        (CalendarDate(year: 2026, month: 3, day: 3), "3 mars 2026", "3 March 2026", "3. März 2026"),
        (CalendarDate(year: 2026, month: 5, day: 31), "31 maj 2026", "31 May 2026", "31. Mai 2026"),
        (CalendarDate(year: 2026, month: 8, day: 1), "1 augusti 2026", "1 August 2026", "1. August 2026"),
        (CalendarDate(year: 2026, month: 12, day: 24), "24 december 2026", "24 December 2026", "24. Dezember 2026"),
    ])
    func formatsDatesPerLanguage(date: CalendarDate, swedish: String, english: String, german: String) {
        #expect(date.formatted(ResponderFixtures.language("sv")) == swedish)
        #expect(date.formatted(ResponderFixtures.language("en")) == english)
        #expect(date.formatted(ResponderFixtures.language("de")) == german)
    }

    /// The grounding guard reads Swedish amounts and dates as the replies write them: an LLM phrasing that changes the
    /// thousands of a space-grouped amount is caught.
    @Test func groundingGuardReadsSwedishAmountsAndDates() {
        let source = "Din nästa delbetalning på 1\u{00A0}234,50\u{00A0}kr förfaller den 15 januari 2027."
        let guardrail = GroundingGuard(sources: [source])
        #expect(guardrail.ungrounded(in: "Du betalar 1\u{00A0}234,50 kr den 15 januari 2027.").isEmpty)
        #expect(guardrail.ungrounded(in: "Du betalar 1 234,50 kronor den 15 jan 2027.").isEmpty)
        #expect(!guardrail.ungrounded(in: "Du betalar 2\u{00A0}234,50\u{00A0}kr den 15 januari 2027.").isEmpty)
        #expect(!guardrail.ungrounded(in: "Du betalar 1\u{00A0}234,50\u{00A0}kr den 15 februari 2027.").isEmpty)
        #expect(!guardrail.ungrounded(in: "Du betalar 1\u{00A0}234,50\u{00A0}€ den 15 januari 2027.").isEmpty)
    }
}
