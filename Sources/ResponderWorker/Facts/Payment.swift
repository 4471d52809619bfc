public import ConciergeCore

/// A collection attempt or a payment by the customer.
public struct Payment: Sendable, Hashable {
    public var id: String
    public var purchaseID: String
    public var instalmentSequence: Int?
    public var amount: Money
    /// `card`, `direct_debit`, `bank_transfer`.
    public var method: String
    /// `pending`, `succeeded`, `failed`, `reversed`.
    public var status: String
    /// `insufficient_funds`, `card_expired`, `authentication_required`, … when failed.
    public var failureReason: String?
    public var attemptedOn: CalendarDate
    /// A failed collection: the day of the next automatic attempt (nil: none scheduled).
    public var nextRetryOn: CalendarDate?

    public init(
        id: String, purchaseID: String, instalmentSequence: Int?, amount: Money, method: String, status: String,
        failureReason: String?, attemptedOn: CalendarDate, nextRetryOn: CalendarDate? = nil
    ) {
        self.id = id
        self.purchaseID = purchaseID
        self.instalmentSequence = instalmentSequence
        self.amount = amount
        self.method = method
        self.status = status
        self.failureReason = failureReason
        self.attemptedOn = attemptedOn
        self.nextRetryOn = nextRetryOn
    }
}
