public import Foundation

/// A pay period: `2026-11` (monthly) or `2026-W48` (ISO week), from `start` (inclusive) to `end` (exclusive), UTC.
public struct PayPeriod: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let id: String
    public let cadence: PayCadence
    public let start: Date
    public let end: Date

    private static let calendar: Calendar = {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        calendar.firstWeekday = 2
        calendar.minimumDaysInFirstWeek = 4
        return calendar
    }()

    /// The period of `cadence` that contains `date`.
    public static func containing(_ date: Date, cadence: PayCadence) -> PayPeriod {
        let calendar = Self.calendar
        switch cadence {
        case .monthly:
            let parts = calendar.dateComponents([.year, .month], from: date)
            return Self.month(year: parts.year!, month: parts.month!)
        case .weekly:
            let parts = calendar.dateComponents([.yearForWeekOfYear, .weekOfYear], from: date)
            return Self.week(year: parts.yearForWeekOfYear!, week: parts.weekOfYear!)!
        }
    }

    /// Parses `YYYY-MM` or `YYYY-Www`.
    public init(id: String) throws(PayoutError) {
        let parts = id.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, let year = Int(parts[0]), year >= 1 else {
            throw PayoutError(.invalidPeriod, "period '\(id.prefix(16))' must look like 2026-11 or 2026-W48")
        }
        if parts[1].first == "W", parts[1].count == 3, let week = Int(parts[1].dropFirst()),
            let period = Self.week(year: year, week: week)
        {
            self = period
        } else if parts[1].count == 2, let month = Int(parts[1]), (1...12).contains(month) {
            self = Self.month(year: year, month: month)
        } else {
            throw PayoutError(.invalidPeriod, "period '\(id.prefix(16))' must look like 2026-11 or 2026-W48")
        }
    }

    private init(id: String, cadence: PayCadence, start: Date, end: Date) {
        self.id = id
        self.cadence = cadence
        self.start = start
        self.end = end
    }

    /// The period right after this one.
    public var next: PayPeriod { Self.containing(self.end, cadence: self.cadence) }

    private static func month(year: Int, month: Int) -> PayPeriod {
        let calendar = Self.calendar
        let start = calendar.date(from: DateComponents(year: year, month: month, day: 1))!
        let end = calendar.date(byAdding: .month, value: 1, to: start)!
        return PayPeriod(id: String(format: "%04d-%02d", year, month), cadence: .monthly, start: start, end: end)
    }

    private static func week(year: Int, week: Int) -> PayPeriod? {
        let calendar = Self.calendar
        guard (1...53).contains(week),
            let start = calendar.date(from: DateComponents(weekday: 2, weekOfYear: week, yearForWeekOfYear: year))
        else { return nil }
        // Week 53 exists only in some years: it must map back to itself.
        let check = calendar.dateComponents([.yearForWeekOfYear, .weekOfYear], from: start)
        guard check.yearForWeekOfYear == year, check.weekOfYear == week else { return nil }
        let end = calendar.date(byAdding: .day, value: 7, to: start)!
        return PayPeriod(id: String(format: "%04d-W%02d", year, week), cadence: .weekly, start: start, end: end)
    }

    public static func < (lhs: PayPeriod, rhs: PayPeriod) -> Bool { lhs.start < rhs.start }

    public var description: String { self.id }
}
