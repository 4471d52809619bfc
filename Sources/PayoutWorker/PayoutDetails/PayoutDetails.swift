public import ConciergePostgres
import Foundation

/// What a bank needs to pay an agent: the account holder's name, the IBAN and (optionally) the BIC, validated.
/// Stored in `agent_payout_details` (append-only; the latest entry is current), which the accountant role cannot
/// read: its views show the holder and a masked IBAN only.
public struct PayoutDetails: Sendable, Hashable {
    public var agentID: String
    public var accountHolder: String
    public var iban: IBAN
    public var bic: BIC?

    /// Validates the parts as entered (CLI, agent app).
    public init(agentID: String, accountHolder: String, iban: String, bic: String?) throws(PayoutError) {
        let holder = accountHolder.trimmingCharacters(in: .whitespaces)
        guard !agentID.isEmpty, agentID.count <= 200 else {
            throw PayoutError(.invalidPayoutDetails, "agent id is required")
        }
        guard (1...70).contains(holder.count) else {
            throw PayoutError(.invalidPayoutDetails, "account holder must have 1 to 70 characters")
        }
        guard !holder.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw PayoutError(.invalidPayoutDetails, "account holder must not contain control characters")
        }
        self.agentID = agentID
        self.accountHolder = holder
        self.iban = try IBAN(iban)
        if let bic, !bic.isEmpty {
            self.bic = try BIC(bic)
        } else {
            self.bic = nil
        }
    }

    /// Where the details were entered.
    public enum Source: String, Sendable {
        case cli
        case agentApp = "agent_app"
    }

    /// Stores these details as the agent's current ones; returns the new entry's id.
    @discardableResult
    public func store(via source: Source, in transaction: PostgresTransaction) throws -> Int64 {
        try transaction.query(
            """
            INSERT INTO agent_payout_details (agent_id, account_holder, iban, bic, entered_via)
            VALUES ($1, $2, $3, $4, $5) RETURNING details_id
            """,
            [self.agentID, self.accountHolder, self.iban.value, self.bic?.value, source.rawValue]
        ).singleRow("payout details insert").decode(Int64.self, named: "details_id")
    }

    /// The agent's current details (masked when printed), or nil.
    public static func current(agentID: String, in transaction: PostgresTransaction) throws -> (
        id: Int64, details: PayoutDetails
    )? {
        guard
            let row = try transaction.query(
                """
                SELECT details_id, account_holder, iban, bic FROM agent_payout_details
                WHERE agent_id = $1 ORDER BY details_id DESC LIMIT 1
                """,
                [agentID]
            ).first
        else { return nil }
        return (
            try row.decode(Int64.self, named: "details_id"),
            try PayoutDetails(
                agentID: agentID, accountHolder: try row.decode(String.self, named: "account_holder"),
                iban: try row.decode(String.self, named: "iban"),
                bic: try row.decode(String?.self, named: "bic")
            )
        )
    }
}
