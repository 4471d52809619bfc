public import ConciergeAMQP
import ConciergeCore
public import ConciergePostgres
public import Foundation

/// A dead letter in the archive (table `dead_letters`, migration 0020).
public struct DeadLetter: Sendable {
    public var id: Int64
    public var messageID: String?
    /// The queue it was dead-lettered from: where a replay sends it.
    public var queue: String
    public var reason: String
    public var detail: String
    public var worker: String?
    public var exchange: String
    public var routingKey: String
    public var contentType: String?
    public var type: String?
    public var appID: String?
    public var headers: [String: AMQPFieldValue]
    public var body: [UInt8]
    public var deadLetteredAt: Date
    public var replayCount: Int
    public var replayedAt: Date?
}

/// Which archived dead letters an operator command takes.
public enum DeadLetterSelection: Sendable {
    /// Every one not replayed yet.
    case pending
    /// Those not replayed yet with this reason.
    case reason(String)
    /// These ids (replayed or not).
    case ids([Int64])
    /// Those already replayed (for purging).
    case replayed

    var condition: (sql: String, parameters: [any PostgresEncodable]) {
        switch self {
        case .pending: ("replayed_at IS NULL", [])
        case .reason(let reason): ("replayed_at IS NULL AND reason = $1", [reason])
        case .ids(let ids): ("id = ANY($1::bigint[])", [ids.map { Int($0) }])
        case .replayed: ("replayed_at IS NOT NULL", [])
        }
    }
}

/// The dead-letter archive: what the archiver writes and what `conciergectl dead-letters` reads, replays and purges.
///
/// Replay publishes each message with publisher confirms to the default exchange with its original queue as the
/// routing key, with the retry count and the dead-letter reason removed and `x-concierge-replayed` (how many times it
/// was replayed) added, then marks it replayed. A crash between the two replays it again on the next run: its
/// message id is unchanged, so a consumer's inbox applies it once.
public enum DeadLetterArchive {
    /// Header on a replayed message: the number of times it was replayed.
    public static let replayedHeader = "x-concierge-replayed"
    /// Header on a replayed message: its id in the archive.
    public static let archiveIDHeader = "x-concierge-dead-letter-id"

    // MARK: Archiving

    /// What the archiver reads from one delivery of the dead-letter queue.
    struct Incoming {
        var messageID: String?
        var queue: String
        var reason: String
        var detail: String
        var worker: String?
        var exchange: String
        var routingKey: String
        var properties: AMQPProperties
        var headersJSON: String
        var body: [UInt8]

        init(_ delivery: AMQPDelivery) {
            var headers = delivery.properties.headers
            // Who published it first, kept for a replay (the replay goes out under the operator's user): a worker that
            // dead-letters a message records it in this header; one the broker dead-lettered still carries its user_id.
            if headers[FleetNames.Headers.producer] == nil {
                headers[FleetNames.Headers.producer] = .string(delivery.properties.userId ?? "")
            }
            let death = headers["x-death"]?.arrayValue?.first?.tableValue
            self.messageID = delivery.properties.messageId
            self.queue =
                headers[FleetNames.Headers.queue]?.stringValue ?? death?["queue"]?.stringValue ?? delivery.routingKey
            if let reason = headers[FleetNames.Headers.reason]?.stringValue {
                self.reason = reason
            } else if let brokerReason = death?["reason"]?.stringValue {
                // Dead-lettered by the broker itself (the quorum queue's delivery limit, an expiry, a reject).
                self.reason = "broker_\(brokerReason)"
            } else {
                self.reason = "unknown"
            }
            self.detail = headers[FleetNames.Headers.detail]?.stringValue ?? ""
            self.worker = headers[FleetNames.Headers.worker]?.stringValue
            self.exchange = delivery.exchange
            self.routingKey = delivery.routingKey
            self.properties = delivery.properties
            self.headersJSON = AMQPFieldValue.headersJSON(headers)
            self.body = delivery.body
        }
    }

    /// Inserts dead letters; one received again (same message, headers and body) is skipped. Idempotent: safe to run
    /// again after a lost COMMIT reply. Returns how many were new.
    static func insert(_ letters: [Incoming], in transaction: PostgresTransaction) throws -> Int {
        guard !letters.isEmpty else { return 0 }
        return try transaction.execute(
            """
            INSERT INTO dead_letters (archive_key, message_id, queue, reason, detail, worker, exchange, routing_key,
                                      content_type, type, app_id, headers, body)
            SELECT encode(sha256(convert_to(coalesce(m, '') || h, 'UTF8') || decode(b, 'base64')), 'hex'),
                   m, q, r, d, w, e, k, ct, t, a, h::jsonb, decode(b, 'base64')
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                        $9::text[], $10::text[], $11::text[], $12::text[])
                 AS u(m, q, r, d, w, e, k, ct, t, a, h, b)
            ON CONFLICT (archive_key) DO NOTHING
            """,
            [
                letters.map(\.messageID), letters.map(\.queue), letters.map(\.reason), letters.map(\.detail),
                letters.map(\.worker), letters.map(\.exchange), letters.map(\.routingKey),
                letters.map(\.properties.contentType), letters.map(\.properties.type), letters.map(\.properties.appId),
                letters.map(\.headersJSON), letters.map { Data($0.body).base64EncodedString() },
            ]
        )
    }

    // MARK: Reading

    static let columns = """
        id, message_id, queue, reason, detail, worker, exchange, routing_key, content_type, type, app_id, \
        headers::text AS headers, encode(body, 'base64') AS body, dead_lettered_at, replay_count, replayed_at
        """

    /// Dead letters matching `selection` with an id above `after`, oldest first, at most `limit`.
    public static func list(
        _ selection: DeadLetterSelection, after: Int64 = 0, limit: Int = 1000, on database: PostgresConnection
    ) async throws -> [DeadLetter] {
        let condition = selection.condition
        let next = condition.parameters.count
        return try await database.query(
            "SELECT \(columns) FROM dead_letters WHERE \(condition.sql) AND id > $\(next + 1) ORDER BY id LIMIT $\(next + 2)",
            condition.parameters + [Int(after), limit]
        ).map(Self.decode)
    }

    /// Pending dead letters by reason.
    public static func countsByReason(on database: PostgresConnection) async throws -> [(reason: String, count: Int)] {
        try await database.query(
            "SELECT reason, count(*) AS count FROM dead_letters WHERE replayed_at IS NULL GROUP BY reason ORDER BY reason"
        ).map { (try $0.decode(String.self, named: "reason"), try $0.decode(Int.self, named: "count")) }
    }

    static func decode(_ row: PostgresRow) throws -> DeadLetter {
        DeadLetter(
            id: try row.decode(Int64.self, named: "id"),
            messageID: try row.decode(String?.self, named: "message_id"),
            queue: try row.decode(String.self, named: "queue"),
            reason: try row.decode(String.self, named: "reason"),
            detail: try row.decode(String.self, named: "detail"),
            worker: try row.decode(String?.self, named: "worker"),
            exchange: try row.decode(String.self, named: "exchange"),
            routingKey: try row.decode(String.self, named: "routing_key"),
            contentType: try row.decode(String?.self, named: "content_type"),
            type: try row.decode(String?.self, named: "type"),
            appID: try row.decode(String?.self, named: "app_id"),
            headers: AMQPFieldValue.headers(json: try row.decode(String.self, named: "headers")),
            body: Array(
                Data(base64Encoded: try row.decode(String.self, named: "body"), options: .ignoreUnknownCharacters)
                    ?? Data()),
            deadLetteredAt: try row.decode(Date.self, named: "dead_lettered_at"),
            replayCount: try row.decode(Int.self, named: "replay_count"),
            replayedAt: try row.decode(Date?.self, named: "replayed_at")
        )
    }

    // MARK: Replaying and purging

    /// The message a replay publishes: back to its queue, retry count reset, reason removed, replay marker added. It
    /// goes out with `user_id` = `replayer` (the operator's AMQP user: the broker allows no other) and keeps
    /// `x-concierge-producer`, the first publisher, which workers trust on a message from an operator user
    /// (`worker.operator_users`), so a replayed payout event is still the escalation worker's and a forged one stays
    /// refused.
    public static func replayMessage(_ letter: DeadLetter, replayer: String? = nil) -> AMQPMessage {
        var headers = letter.headers
        for key in [
            FleetNames.Headers.reason, FleetNames.Headers.detail, FleetNames.Headers.retries, FleetNames.Headers.worker,
            "x-death", "x-first-death-exchange", "x-first-death-queue", "x-first-death-reason", "x-last-death-exchange",
            "x-last-death-queue", "x-last-death-reason", "x-delivery-count",
        ] {
            headers[key] = nil
        }
        headers[Self.replayedHeader] = .int(Int64(letter.replayCount + 1))
        headers[Self.archiveIDHeader] = .int(letter.id)
        return AMQPMessage(
            exchange: "", routingKey: letter.queue, body: letter.body,
            properties: AMQPProperties(
                contentType: letter.contentType, headers: headers, persistent: true, messageId: letter.messageID,
                type: letter.type, appId: letter.appID, userId: replayer
            ),
            mandatory: true
        )
    }

    /// Replays the dead letters matching `selection` (at most `limit`), in archive order, with confirms; marks the
    /// confirmed ones replayed. Returns how many were confirmed and which ids the broker refused or could not route
    /// (their queue is gone): those stay pending.
    public static func replay(
        _ selection: DeadLetterSelection, limit: Int = 10_000, publisher: AMQPPublisher, replayer: String? = nil,
        on database: PostgresConnection
    ) async throws -> (replayed: Int, refused: [Int64]) {
        var replayed = 0
        var refused: [Int64] = []
        var remaining = limit
        var after: Int64 = 0
        while remaining > 0 {
            let letters = try await self.list(selection, after: after, limit: min(500, remaining), on: database)
            if letters.isEmpty { break }
            after = letters.map(\.id).max() ?? after
            let outcomes = try await publisher.publish(letters.map { Self.replayMessage($0, replayer: replayer) })
            let confirmed = zip(letters, outcomes).filter { $0.1 == .confirmed }.map(\.0.id)
            refused += zip(letters, outcomes).filter { $0.1 != .confirmed }.map(\.0.id)
            try await database.query(
                "UPDATE dead_letters SET replay_count = replay_count + 1, replayed_at = now() WHERE id = ANY($1::bigint[])",
                [confirmed.map { Int($0) }]
            )
            replayed += confirmed.count
            remaining -= letters.count
        }
        return (replayed, refused)
    }

    /// Deletes the dead letters matching `selection`; returns how many.
    @discardableResult
    public static func purge(_ selection: DeadLetterSelection, on database: PostgresConnection) async throws -> Int {
        let condition = selection.condition
        return try await database.query("DELETE FROM dead_letters WHERE \(condition.sql)", condition.parameters)
            .affectedRows
    }

    // MARK: Export

    /// One JSON object per dead letter (a line of `dead-letters export`): every column, headers typed as in the
    /// archive, the body as base64 and, when it is UTF-8, as text too.
    public static func jsonLine(_ letter: DeadLetter) -> String {
        var object: [String: Any] = [
            "id": letter.id, "queue": letter.queue, "reason": letter.reason, "detail": letter.detail,
            "exchange": letter.exchange, "routing_key": letter.routingKey,
            "headers": letter.headers.mapValues(\.typedJSON), "body_base64": Data(letter.body).base64EncodedString(),
            "dead_lettered_at": ISO8601DateFormatter().string(from: letter.deadLetteredAt),
            "replay_count": letter.replayCount,
        ]
        if let value = letter.messageID { object["message_id"] = value }
        if let value = letter.worker { object["worker"] = value }
        if let value = letter.contentType { object["content_type"] = value }
        if let value = letter.type { object["type"] = value }
        if let value = letter.appID { object["app_id"] = value }
        if let value = letter.replayedAt { object["replayed_at"] = ISO8601DateFormatter().string(from: value) }
        if let text = String(validating: letter.body, as: UTF8.self) { object["body"] = text }
        guard
            let data = try? JSONSerialization.data(
                withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        else {
            return "{\"id\":\(letter.id),\"error\":\"not representable as JSON\"}"
        }
        return String(decoding: data, as: UTF8.self)
    }
}
