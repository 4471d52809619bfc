public import ConciergeCore

/// A refund (the shop refunds) or a return (goods go back, then the shop refunds).
public struct Refund: Sendable, Hashable {
    public var id: String
    public var purchaseID: String
    /// `refund` or `return`.
    public var kind: String
    public var amount: Money
    /// `requested`, `in_transit`, `received_by_merchant`, `processing`, `completed`, `rejected`.
    public var status: String
    public var requestedOn: CalendarDate
    public var expectedOn: CalendarDate?
    public var completedOn: CalendarDate?

    public init(
        id: String, purchaseID: String, kind: String, amount: Money, status: String, requestedOn: CalendarDate,
        expectedOn: CalendarDate?, completedOn: CalendarDate?
    ) {
        self.id = id
        self.purchaseID = purchaseID
        self.kind = kind
        self.amount = amount
        self.status = status
        self.requestedOn = requestedOn
        self.expectedOn = expectedOn
        self.completedOn = completedOn
    }

    /// Still under way (not completed or rejected).
    public var isOpen: Bool { !["completed", "rejected"].contains(self.status) }
}
