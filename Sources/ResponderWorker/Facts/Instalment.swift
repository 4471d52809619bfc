public import ConciergeCore

/// One instalment of a payment plan.
public struct Instalment: Sendable, Hashable {
    public var planID: String
    public var sequence: Int
    public var dueOn: CalendarDate
    public var amount: Money
    /// `scheduled`, `paid`, `overdue`, `failed`, `waived`.
    public var status: String
    public var paidOn: CalendarDate?
    /// The late fee added to this instalment (zero when none).
    public var lateFee: Money
    /// The due date before it was moved (nil: never moved).
    public var originalDueOn: CalendarDate?

    public init(
        planID: String, sequence: Int, dueOn: CalendarDate, amount: Money, status: String, paidOn: CalendarDate?,
        lateFee: Money,
        originalDueOn: CalendarDate? = nil
    ) {
        self.planID = planID
        self.sequence = sequence
        self.dueOn = dueOn
        self.amount = amount
        self.status = status
        self.paidOn = paidOn
        self.lateFee = lateFee
        self.originalDueOn = originalDueOn
    }

    /// Still to be paid.
    public var isOpen: Bool { ["scheduled", "overdue", "failed"].contains(self.status) }

    /// `<plan_id>#<sequence>`.
    public var id: String { "\(self.planID)#\(self.sequence)" }
}
