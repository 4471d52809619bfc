import ConciergePostgres

/// The SQL of the outbox, in one place.
enum OutboxStore {
    /// How long the writer of a row has to publish it before sweepers of other workers may take over.
    static let claimSeconds = 10

    /// Queues the insert of `messages` in the caller's transaction (it goes out with the transaction's next round
    /// trip, at the latest with its `COMMIT`); `inserted` then receives the rows with their ids, in order.
    /// `claimSeconds`: how long the writer keeps the rows to itself (it publishes them right after commit); nil leaves
    /// them to the sweep.
    static func insert(
        _ messages: [OutgoingMessage], producer: String, claimSeconds: Int? = claimSeconds,
        in transaction: PostgresTransaction,
        inserted: (([OutboxRow]) -> Void)? = nil
    ) {
        guard !messages.isEmpty else { return }
        transaction.enqueue(
            """
            INSERT INTO outbox (message_id, exchange, routing_key, message_type, body, mandatory, producer, claimed_until)
            SELECT u.message_id, u.exchange, u.routing_key, u.message_type, u.body, u.mandatory, $7,
                   CASE WHEN $8::int IS NULL THEN '-infinity'::timestamptz ELSE now() + make_interval(secs => $8::int) END
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bool[])
                 WITH ORDINALITY AS u(message_id, exchange, routing_key, message_type, body, mandatory, position)
            ORDER BY u.position
            RETURNING id
            """,
            [
                messages.map(\.messageID), messages.map(\.exchange), messages.map(\.routingKey),
                messages.map(\.schema), messages.map { String(decoding: $0.body, as: UTF8.self) },
                messages.map(\.mandatory), producer, claimSeconds as Int?,
            ]
        ) { result in
            guard let inserted else { return }
            // ids come from a sequence in insertion order, which follows ORDER BY position. A result that cannot be
            // read leaves the rows to the sweep (after their claim expires) instead of failing a committed batch.
            guard let ids = try? result.map({ try $0.decode(Int64.self, named: "id") }).sorted(),
                ids.count == messages.count
            else {
                inserted([])
                return
            }
            inserted(zip(ids, messages).map { OutboxRow(id: $0, message: $1) })
        }
    }

    /// Queues the marking of `ids` as sent in the caller's transaction.
    static func markSent(_ ids: [Int64], in transaction: PostgresTransaction) {
        guard !ids.isEmpty else { return }
        transaction.enqueue("UPDATE outbox SET sent_at = now() WHERE id = ANY($1::bigint[])", [ids])
    }

    static func markSent(_ ids: [Int64], on connection: PostgresConnection) async throws {
        guard !ids.isEmpty else { return }
        _ = try await connection.query("UPDATE outbox SET sent_at = now() WHERE id = ANY($1::bigint[])", [ids])
    }

    /// Leaves rows unsent, to be retried by a sweep after `retryAfterSeconds`, with the reason.
    static func markFailed(_ ids: [Int64], error: String, retryAfterSeconds: Int, on connection: PostgresConnection)
        async throws
    {
        guard !ids.isEmpty else { return }
        _ = try await connection.query(
            """
            UPDATE outbox SET attempts = attempts + 1, last_error = $2, claimed_until = now() + make_interval(secs => $3)
            WHERE id = ANY($1::bigint[])
            """,
            [ids, error, retryAfterSeconds]
        )
    }

    /// Claims up to `limit` unsent rows of `producers` whose claim expired (their writer died or their publish failed)
    /// or that nobody claimed (`-infinity`), oldest claim first, one producer after the other. Each claim is a range
    /// of the `outbox_claimable_by_producer` index (producer, claimed_until, id) under a LIMIT: it reads at most
    /// `limit` rows (plus rows locked by another sweeper), whatever the backlog.
    static func claimStale(limit: Int, producers: [String], on connection: PostgresConnection) async throws
        -> [OutboxRow]
    {
        var rows: [OutboxRow] = []
        for producer in producers where rows.count < limit {
            let result = try await connection.query(
                """
                UPDATE outbox SET claimed_until = now() + make_interval(secs => $2)
                WHERE id IN (
                    SELECT id FROM outbox
                    WHERE sent_at IS NULL AND producer = $3 AND claimed_until < now()
                    ORDER BY claimed_until, id LIMIT $1
                    FOR UPDATE SKIP LOCKED
                )
                RETURNING id, message_id, exchange, routing_key, message_type, body, mandatory
                """,
                [limit - rows.count, claimSeconds, producer]
            )
            rows += try result.map { row in
                OutboxRow(
                    id: try row.decode(Int64.self, named: "id"),
                    message: OutgoingMessage(
                        messageID: try row.decode(String.self, named: "message_id"),
                        exchange: try row.decode(String.self, named: "exchange"),
                        routingKey: try row.decode(String.self, named: "routing_key"),
                        schema: try row.decode(String.self, named: "message_type"),
                        body: Array(try row.decode(String.self, named: "body").utf8),
                        mandatory: try row.decode(Bool.self, named: "mandatory")
                    )
                )
            }
        }
        return rows.sorted { $0.id < $1.id }
    }

    /// Unsent rows older than a few seconds: the relay's backlog (of `producers`' rows when given: the rows this
    /// relay is responsible for).
    static func backlog(producers: [String]? = nil, on connection: PostgresConnection) async throws -> Int {
        let result = try await connection.query(
            """
            SELECT count(*) AS backlog FROM outbox
            WHERE sent_at IS NULL AND created_at < now() - interval '5 seconds' AND ($1::text[] IS NULL OR producer = ANY($1::text[]))
            """,
            [producers]
        )
        return try result.first?.decode(Int.self, named: "backlog") ?? 0
    }

    /// Deletes rows sent more than `retentionSeconds` ago, a bounded number at a time.
    static func prune(retentionSeconds: Int, on connection: PostgresConnection) async throws {
        _ = try await connection.query(
            """
            DELETE FROM outbox WHERE id IN (
                SELECT id FROM outbox WHERE sent_at < now() - make_interval(secs => $1) LIMIT 10000
            )
            """,
            [retentionSeconds]
        )
    }
}
