public import ConciergePostgres

/// What the classifier looks up about a customer before routing: the VIP tier, and whether the customer asked about
/// the same intent within the repeat-contact window (`conciergectl route --customer`).
public struct CustomerRoutingFacts: Sendable, Hashable {
    public var vip: Bool
    public var repeatContact: Bool

    public init(vip: Bool = false, repeatContact: Bool = false) {
        self.vip = vip
        self.repeatContact = repeatContact
    }

    /// Looks `customer` up; without an intent there is no repeat contact.
    public static func load(
        customer: String, intent: String?, windowMinutes: Int, on database: PostgresConnection
    ) async throws -> CustomerRoutingFacts {
        let vip = try await !database.query(
            "SELECT 1 FROM customers WHERE customer_id = $1 AND tier = 'vip'", [customer]
        ).isEmpty
        guard let intent else { return CustomerRoutingFacts(vip: vip) }
        let repeatContact = try await !database.query(
            """
            SELECT 1 FROM routing_decisions WHERE customer_id = $1 AND intent = $2
            AND decided_at > now() - make_interval(mins => $3)
            """,
            [customer, intent, windowMinutes]
        ).isEmpty
        return CustomerRoutingFacts(vip: vip, repeatContact: repeatContact)
    }
}
