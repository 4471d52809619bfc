import ConciergeCore
import ResponderWorker
import Testing

@Suite struct MoneyFormattingTests {
    @Test(
        arguments: [
            (4999, "EUR", "en", "49.99 EUR"),
            (4999, "EUR", "de", "49,99 €"),
            (4999, "GBP", "de", "49,99 £"),
            (124_900, "EUR", "en", "1,249.00 EUR"),
            (124_900, "EUR", "de", "1.249,00 €"),
            (5, "GBP", "en", "0.05 GBP"),
            (123_456_789, "EUR", "en", "1,234,567.89 EUR"),
            (-2500, "EUR", "de", "-25,00 €"),
            (1500, "JPY", "en", "1,500 JPY"),
            (1234, "KWD", "en", "1.234 KWD"),
        ] as [(Int64, String, String, String)])
    func formatsMinorUnitsPerCurrencyAndLanguage(minor: Int64, currency: String, language: String, expected: String) {
        #expect(
            Money(minorUnits: minor, currency: try! Currency(code: currency)).formatted(
                ResponderFixtures.language(language)) == expected)
    }
}

@Suite struct CalendarDateTests {
    @Test func formatsInEnglishAndGerman() {
        let date = CalendarDate(year: 2026, month: 3, day: 3)
        #expect(date.formatted(ResponderFixtures.language("en")) == "3 March 2026")
        #expect(date.formatted(ResponderFixtures.language("de")) == "3. März 2026")
        #expect(date.description == "2026-03-03")
    }

    @Test func addingMonthsClampsToTheMonthsLastDay() {
        #expect(
            CalendarDate(year: 2026, month: 1, day: 31).adding(months: 1) == CalendarDate(year: 2026, month: 2, day: 28)
        )
        #expect(
            CalendarDate(year: 2028, month: 1, day: 31).adding(months: 1) == CalendarDate(year: 2028, month: 2, day: 29)
        )
        #expect(
            CalendarDate(year: 2026, month: 11, day: 15).adding(months: 3)
                == CalendarDate(year: 2027, month: 2, day: 15))
    }

    @Test func dayNumbersRoundTrip() {
        #expect(CalendarDate(year: 1970, month: 1, day: 1).dayNumber == 0)
        #expect(CalendarDate(iso: "2026-12-31")!.adding(days: 1) == CalendarDate(year: 2027, month: 1, day: 1))
        for n in stride(from: -800, to: 30_000, by: 37) {
            #expect(CalendarDate(dayNumber: n).dayNumber == n)
        }
    }
}
