public import ConciergeCore
public import Foundation

/// An earning about to be booked: who earned what for which assignment, priced by which rate-card version, from which
/// event. Its id is `<assignment_id>:<kind>`, so it can exist only once.
public struct EarningRecord: Sendable, Hashable {
    public var assignmentID: String
    public var kind: EarningKind
    public var agentID: String
    public var conversationID: String
    public var offerID: String
    public var market: String
    public var rateCardVersion: String
    public var components: EarningComponents
    public var surge: BasisPoints
    public var csat: Int?
    public var sourceMessageID: String
    public var occurredAt: Date

    public init(
        assignmentID: String, kind: EarningKind, agentID: String, conversationID: String, offerID: String,
        market: String, rateCardVersion: String, components: EarningComponents, surge: BasisPoints, csat: Int? = nil,
        sourceMessageID: String, occurredAt: Date
    ) {
        self.assignmentID = assignmentID
        self.kind = kind
        self.agentID = agentID
        self.conversationID = conversationID
        self.offerID = offerID
        self.market = market
        self.rateCardVersion = rateCardVersion
        self.components = components
        self.surge = surge
        self.csat = csat
        self.sourceMessageID = sourceMessageID
        self.occurredAt = occurredAt
    }

    public var earningID: String { "\(self.assignmentID):\(self.kind.rawValue)" }

    /// The balanced journal transaction for this earning: per non-zero component, agent-fee expense against the
    /// agent's payable (a clawback the other way round).
    public func journal() throws(MoneyError) -> JournalTransaction {
        var postings: [LedgerPosting] = []
        for part in self.components.parts {
            postings += try JournalTransaction.transfer(
                part.amount, debit: .agentFeesExpense, credit: .agentPayable(self.agentID), tag: part.component
            )
        }
        return try JournalTransaction(postings: postings)
    }
}
