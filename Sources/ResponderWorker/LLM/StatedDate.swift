/// A date: its possible readings (`4/3/2026` is 4 March or 3 April) as month, day and an optional year.
public struct StatedDate: Sendable, Hashable {
    public struct Reading: Sendable, Hashable {
        public var year: Int?
        public var month: Int
        public var day: Int
    }

    public var readings: Set<Reading>

    /// Some reading of each names the same day (a missing year matches any year).
    public func matches(_ other: StatedDate) -> Bool {
        self.readings.contains { mine in
            other.readings.contains { theirs in
                mine.month == theirs.month && mine.day == theirs.day
                    && (mine.year == nil || theirs.year == nil || mine.year == theirs.year)
            }
        }
    }
}
