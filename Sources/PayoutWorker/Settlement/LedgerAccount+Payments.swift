public import ConciergeCore

extension LedgerAccount {
    /// Payments sent to the bank and not yet confirmed (credit when an instruction is made, debit when the bank's
    /// result arrives): zero once every instruction of every run is settled.
    public static let paymentsInTransit = LedgerAccount("payments_in_transit")
    /// The company's bank accounts (what paid payments leave, and returned ones come back to).
    public static let bank = LedgerAccount("bank")
}
