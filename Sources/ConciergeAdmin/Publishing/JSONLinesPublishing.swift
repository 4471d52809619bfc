public import ConciergeAMQP
import Foundation

/// `conciergectl publish`: JSON lines (contracts such as `inquiry.v1`) published as they are, with confirms, in
/// batches. A line's `schema` becomes the message type and its `message_id` the message id; without a routing key
/// given, an inquiry goes to `inquiry.<channel>`.
public struct JSONLinesPublishing: Sendable {
    public var exchange: String
    /// Every message's routing key; nil: `inquiry.<the line's channel, or unknown>`.
    public var routingKey: String?
    /// Messages per confirm batch.
    public var batch: Int

    public init(exchange: String, routingKey: String?, batch: Int) {
        self.exchange = exchange
        self.routingKey = routingKey
        self.batch = batch
    }

    /// What the broker confirmed and did not, of how many lines.
    public struct Outcome: Sendable, Equatable {
        public var confirmed: Int
        public var failed: Int
        public var lines: Int
    }

    /// The non-blank lines of `text`.
    static func lines(_ text: String) -> [Substring] {
        text.split(separator: "\n", omittingEmptySubsequences: true).filter {
            !$0.trimmingCharacters(in: .whitespaces).isEmpty
        }
    }

    func message(for line: String) -> AMQPMessage {
        struct Header: Decodable {
            var schema: String?
            var message_id: String?
            var channel: String?
        }
        let header = try? JSONDecoder().decode(Header.self, from: Data(line.utf8))
        let routingKey = self.routingKey ?? "inquiry.\(header?.channel ?? "unknown")"
        return AMQPMessage(
            exchange: self.exchange,
            routingKey: routingKey,
            body: Array(line.utf8),
            properties: AMQPProperties(
                contentType: "application/json", persistent: true, messageId: header?.message_id, type: header?.schema,
                appId: "conciergectl"
            )
        )
    }

    /// Publishes every non-blank line of `text`, one confirm batch after the other.
    public func publish(_ text: String, with publisher: AMQPPublisher) async throws -> Outcome {
        let lines = Self.lines(text)
        var confirmed = 0
        var failed = 0
        let batch = max(1, self.batch)
        for chunk in stride(from: 0, to: lines.count, by: batch).map({ lines[$0..<min($0 + batch, lines.count)] }) {
            let outcomes = try await publisher.publish(chunk.map { self.message(for: String($0)) })
            for outcome in outcomes {
                if outcome == .confirmed { confirmed += 1 } else { failed += 1 }
            }
        }
        return Outcome(confirmed: confirmed, failed: failed, lines: lines.count)
    }
}
