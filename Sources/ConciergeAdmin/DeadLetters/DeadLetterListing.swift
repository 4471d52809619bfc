public import ConciergePostgres
public import ConciergeRuntime
import Foundation

/// `conciergectl dead-letters list`: pending dead letters by reason, what still waits in the dead-letter queue, and
/// the newest of the selected dead letters.
public struct DeadLetterListing: Sendable {
    /// Pending dead letters by reason, in reason order.
    public var counts: [(reason: String, count: Int)]
    /// The dead letters listed, oldest first.
    public var letters: [DeadLetter]

    public init(counts: [(reason: String, count: Int)], letters: [DeadLetter]) {
        self.counts = counts
        self.letters = letters
    }

    /// The counts, and the pending dead letters (with `reason` only those), oldest first, at most 100,000.
    public static func load(reason: String?, on database: PostgresConnection) async throws -> DeadLetterListing {
        DeadLetterListing(
            counts: try await DeadLetterArchive.countsByReason(on: database),
            letters: try await DeadLetterArchive.list(
                reason.map { .reason($0) } ?? .pending, limit: 100_000, on: database)
        )
    }

    /// The report: the counts, `waiting` messages not archived yet in `queue` (nil: the queue is missing), then a table
    /// of the newest `limit` dead letters.
    public func lines(queue: String, waiting: Int?, limit: Int) -> [String] {
        func pad(_ text: String, _ width: Int) -> String { text.padding(toLength: width, withPad: " ", startingAt: 0) }
        var lines = ["archived, pending replay: \(self.counts.reduce(0) { $0 + $1.count })"]
        lines += self.counts.map { "  \($0.reason): \($0.count)" }
        lines.append("in \(queue), not archived yet: \(waiting.map { String($0) } ?? "(queue missing)")")
        if !self.letters.isEmpty {
            lines.append("\nid        queue                      reason                 message id")
        }
        lines += self.letters.suffix(max(0, limit)).map { letter in
            "\(pad(String(letter.id), 8))  \(pad(letter.queue, 25))  \(pad(letter.reason, 21))  \(letter.messageID ?? "(none)")"
        }
        return lines
    }
}
