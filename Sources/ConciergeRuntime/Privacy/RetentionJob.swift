public import ConciergePostgres
import Configuration
public import Foundation
public import Logging

/// Retention of customer text: redacts what is older than the retention period, table by table, in batches of
/// `batchSize` rows, each batch its own short transaction (migration 0051's `concierge_retention_batch`, `FOR UPDATE
/// SKIP LOCKED`), so the workers' hot tables are never locked for long and rows being written are taken later.
///
/// Keys (run by `conciergectl retention enforce`, scheduled by the CronJob `concierge-retention`):
/// - `retention.text_days` (90): days after which inquiry texts, transcripts, AI replies and hand-offs, agent
///   messages and resolved escalations' previews and summaries are redacted
/// - `retention.batch` (1000): rows per batch
public struct RetentionJob: Sendable {
    /// The tables covered, in the order they are processed.
    public static let tables = [
        "inquiries", "transcript_entries", "ai_replies", "ai_handoffs", "agent_messages", "escalations", "dead_letters",
    ]

    public var retention: Duration
    public var batchSize: Int

    public init(retention: Duration = .seconds(90 * 86_400), batchSize: Int = 1000) {
        self.retention = retention
        self.batchSize = max(1, batchSize)
    }

    public init(configuration: FleetConfiguration) {
        self.init(
            retention: .seconds(max(1, configuration.reader.int(forKey: "retention.text_days", default: 90)) * 86_400),
            batchSize: configuration.reader.int(forKey: "retention.batch", default: 1000))
    }

    /// Redacts everything older than `now - retention`; returns rows redacted per table. Logs counts only.
    public func enforce(on database: PostgresConnection, now: Date = Date(), logger: Logger) async throws -> [String:
        Int]
    {
        let cutoff = now.addingTimeInterval(-Double(self.retention.components.seconds))
        var redacted: [String: Int] = [:]
        for table in Self.tables {
            var total = 0
            while true {
                let changed = try await database.transaction { transaction in
                    try transaction.query(
                        "SELECT concierge_retention_batch($1, $2, $3) AS changed", [table, cutoff, self.batchSize]
                    ).first?.decode(Int64.self, named: "changed") ?? 0
                }
                total += Int(changed)
                if changed < self.batchSize { break }
            }
            redacted[table] = total
            logger.info(
                "retention enforced", metadata: ["retention.table": "\(table)", "retention.redacted": "\(total)"])
        }
        return redacted
    }
}
