import ConciergeCore
public import Foundation
public import PayoutWorker

/// What `conciergectl payouts close|pay|settle|remit` print about what they did, and the remittance's execution date
/// as the operator writes it.
public enum PayoutsSummary {
    /// The period, its statements and lines, and the totals per currency (minor units).
    public static func close(_ result: PeriodCloseResult) -> [String] {
        [
            result.closedNow
                ? "period \(result.periodID): closed" : "period \(result.periodID): was already closed (unchanged)",
            "statements: \(result.statements), lines: \(result.lines)",
        ] + self.totals(result.totals)
    }

    /// The run, its instructions and carries, the totals per currency and each carry with its reason.
    public static func pay(_ run: PayoutRun) -> [String] {
        [
            run.createdNow ? "run \(run.runID): created" : "run \(run.runID): already existed (unchanged)",
            "instructions: \(run.instructions.count), carries: \(run.carries.count)",
        ] + self.totals(run.totals)
            + run.carries.map { "carried \($0.agentID) \($0.currency) \($0.amountMinor) (\($0.reason))" }
    }

    /// How many results of a bank file were applied, by outcome, and how many were already recorded.
    public static func settle(_ result: PayoutSettler.Result) -> String {
        "settle: paid \(result.applied[.paid] ?? 0), failed \(result.applied[.failed] ?? 0), "
            + "returned \(result.applied[.returned] ?? 0), already recorded \(result.unchanged)"
    }

    /// A remittance file written to `path`.
    public static func remitted(_ remittance: Remittance, to path: String) -> String {
        "remit: \(remittance.transfers.count) transfers written to \(path)"
    }

    /// A requested execution date written `2026-12-03` (midnight UTC), or nil when `text` is not one.
    public static func executionDate(_ text: String) -> Date? {
        guard text.count == 10 else { return nil }
        return Timestamps.parse(text + "T00:00:00Z")
    }

    static func totals(_ totals: [String: Int64]) -> [String] {
        totals.sorted { $0.key < $1.key }.map { "total \($0.key): \($0.value) (minor units)" }
    }
}
