/// How a language writes a date, read from the `dates:` section of its `config/replies/<language>.yaml`: English
/// `3 March 2026`, German `3. März 2026`, Swedish `3 mars 2026`.
public struct DateFormat: Sendable, Hashable {
    /// `{day}`, `{month}` (the month's name) and `{year}` (`"{day}. {month} {year}"`).
    public var pattern: ReplyTemplate
    /// The twelve month names, January first.
    public var months: [String]

    /// `months` must hold twelve names (the loader checks it).
    public init(pattern: ReplyTemplate, months: [String]) {
        precondition(months.count == 12, "a date format needs twelve month names")
        self.pattern = pattern
        self.months = months
    }

    public func format(_ date: CalendarDate) -> String {
        self.pattern.render(["day": String(date.day), "month": self.months[date.month - 1], "year": String(date.year)])
    }
}
