/// Everything the responder knows about one customer's account.
public struct CustomerFacts: Sendable, Hashable {
    public var customerID: String
    /// Newest first.
    public var purchases: [Purchase]

    public init(customerID: String, purchases: [Purchase]) {
        self.customerID = customerID
        self.purchases = purchases.sorted { ($0.purchasedOn, $0.id) > ($1.purchasedOn, $1.id) }
    }
}
