/// How long a pay period is: an ISO week (Monday to Monday, UTC) or a calendar month (UTC).
public enum PayCadence: String, Sendable, Hashable, CaseIterable, Codable {
    case weekly
    case monthly
}
