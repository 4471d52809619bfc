/// How a purchase is paid: `pay_in_3`, `pay_in_4`, `pay_in_30_days`, `monthly_6`, `monthly_12`.
public struct PaymentPlan: Sendable, Hashable {
    public var id: String
    public var kind: String
    /// In sequence order.
    public var instalments: [Instalment]

    public init(id: String, kind: String, instalments: [Instalment]) {
        self.id = id
        self.kind = kind
        self.instalments = instalments
    }
}
