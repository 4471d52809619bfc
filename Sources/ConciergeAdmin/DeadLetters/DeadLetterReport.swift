public import ConciergeRuntime
import Foundation

/// `conciergectl dead-letters show`: one dead letter's headers, reason and detail, and its body only when asked (it
/// may hold customer text).
public struct DeadLetterReport: Sendable {
    public var letter: DeadLetter
    /// Whether to print the body.
    public var body: Bool

    public init(_ letter: DeadLetter, body: Bool = false) {
        self.letter = letter
        self.body = body
    }

    public var lines: [String] {
        let letter = self.letter
        var lines = [
            "id:             \(letter.id)",
            "message id:     \(letter.messageID ?? "(none)")",
            "queue:          \(letter.queue)",
            "reason:         \(letter.reason)",
            "detail:         \(letter.detail)",
            "worker:         \(letter.worker ?? "-")",
            "dead-lettered:  \(letter.deadLetteredAt)",
            "replayed:       \(letter.replayCount) time(s)\(letter.replayedAt.map { ", last \($0)" } ?? "")",
            "headers:",
        ]
        lines += letter.headers.sorted(by: { $0.key < $1.key }).map { "  \($0.key): \($0.value)" }
        lines.append("body:           \(letter.body.count) bytes\(self.body ? "" : " (--body to print)")")
        if self.body { lines.append(String(decoding: letter.body, as: UTF8.self)) }
        return lines
    }
}
