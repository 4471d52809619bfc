public import Foundation

/// The outcome report of a period: the figures of all its conversations and of each intent's.
public struct OutcomeReport: Sendable, Encodable {
    public var since: Date
    public var until: Date
    public var asOf: Date
    public var window: Duration
    public var all: OutcomeFigures
    /// Per intent (`unknown` for conversations without one).
    public var byIntent: [String: OutcomeFigures]

    public init(outcomes: [ConversationOutcome], since: Date, until: Date, asOf: Date, window: Duration) {
        self.since = since
        self.until = until
        self.asOf = asOf
        self.window = window
        self.all = OutcomeFigures(outcomes)
        self.byIntent = Dictionary(grouping: outcomes) { $0.intent ?? "unknown" }.mapValues { OutcomeFigures($0) }
    }

    enum CodingKeys: String, CodingKey {
        case since, until, asOf = "as_of", windowSeconds = "window_seconds", byIntent = "by_intent"
    }

    /// The figures of `all` at the top level, then the period, the window and `by_intent`.
    public func encode(to encoder: any Encoder) throws {
        try self.all.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        let format = ISO8601DateFormatter()
        try container.encode(format.string(from: self.since), forKey: .since)
        try container.encode(format.string(from: self.until), forKey: .until)
        try container.encode(format.string(from: self.asOf), forKey: .asOf)
        try container.encode(self.window.components.seconds, forKey: .windowSeconds)
        try container.encode(self.byIntent, forKey: .byIntent)
    }

    /// JSON with sorted keys: the same report gives the same bytes.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
