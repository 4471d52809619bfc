import Foundation

/// The bank's verdict on payment instructions, as `payouts settle --file` reads it: CSV with a header line
///
/// ```
/// instruction_id,outcome,reason
/// PO-2026-11-000001,paid,
/// PO-2026-11-000002,returned,AC04 account closed
/// ```
///
/// `outcome` is `paid`, `failed` (rejected before it left the bank) or `returned` (sent, then sent back); `failed`
/// and `returned` need a reason (an ISO 20022 reason code such as AC01, AC04, MS03 and/or text). The whole file is
/// checked before anything is applied: one malformed line rejects the file, naming the line and what is wrong.
public struct BankResultFile: Sendable, Hashable {
    public enum Outcome: String, Sendable, Hashable {
        case paid
        case failed
        case returned
    }

    public struct Line: Sendable, Hashable {
        public var lineNumber: Int
        public var instructionID: String
        public var outcome: Outcome
        public var reason: String?
    }

    public var lines: [Line]

    public init(lines: [Line]) {
        self.lines = lines
    }

    public static func parse(_ text: String) throws(PayoutError) -> BankResultFile {
        var lines: [Line] = []
        var seen: [String: Int] = [:]
        let rows = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            .map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        guard let header = rows.first,
            Array(
                header.split(separator: ",", omittingEmptySubsequences: false).map({
                    $0.trimmingCharacters(in: .whitespaces)
                }).prefix(3))
                == ["instruction_id", "outcome", "reason"]
        else {
            throw PayoutError(.invalidBankResult, "line 1: the header must be instruction_id,outcome,reason")
        }
        for (index, row) in rows.enumerated().dropFirst() {
            let number = index + 1
            if row.allSatisfy({ $0 == " " }) { continue }
            let fields = row.split(separator: ",", maxSplits: 2, omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard fields.count >= 2 else {
                throw PayoutError(.invalidBankResult, "line \(number): expected instruction_id,outcome,reason")
            }
            let id = fields[0]
            guard !id.isEmpty, id.count <= 35,
                id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") })
            else {
                throw PayoutError(.invalidBankResult, "line \(number): instruction id is malformed")
            }
            guard let outcome = Outcome(rawValue: fields[1]) else {
                throw PayoutError(.invalidBankResult, "line \(number): outcome must be paid, failed or returned")
            }
            let reason = fields.count > 2 && !fields[2].isEmpty ? String(fields[2].prefix(200)) : nil
            if outcome != .paid, reason == nil {
                throw PayoutError(.invalidBankResult, "line \(number): a \(outcome.rawValue) payment needs a reason")
            }
            if let earlier = seen["\(id)/\(outcome.rawValue)"] {
                throw PayoutError(
                    .invalidBankResult, "line \(number): \(id) \(outcome.rawValue) repeats line \(earlier)")
            }
            seen["\(id)/\(outcome.rawValue)"] = number
            lines.append(Line(lineNumber: number, instructionID: id, outcome: outcome, reason: reason))
        }
        guard !lines.isEmpty else { throw PayoutError(.invalidBankResult, "the file has no results") }
        return BankResultFile(lines: lines)
    }
}
