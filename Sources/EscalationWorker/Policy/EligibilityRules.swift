public import Foundation

/// Who may become an agent. Every failed rule is a reason recorded with the application.
public struct EligibilityRules: Sendable, Hashable {
    /// Facts about an applicant.
    public struct Facts: Sendable, Hashable {
        public var customerSince: Date
        public var purchases: Int
        public var overdueInstalments: Int

        public init(customerSince: Date, purchases: Int, overdueInstalments: Int) {
            self.customerSince = customerSince
            self.purchases = purchases
            self.overdueInstalments = overdueInstalments
        }
    }

    /// Days since the customer record was created.
    public var minimumCustomerDays: Int
    public var minimumPurchases: Int
    public var maximumOverdueInstalments: Int

    public init(minimumCustomerDays: Int = 90, minimumPurchases: Int = 3, maximumOverdueInstalments: Int = 0) {
        self.minimumCustomerDays = minimumCustomerDays
        self.minimumPurchases = minimumPurchases
        self.maximumOverdueInstalments = maximumOverdueInstalments
    }

    /// The rules the applicant fails (empty: eligible), as bounded reason tokens.
    public func failures(_ facts: Facts, now: Date) -> [String] {
        var reasons: [String] = []
        let days = Int(now.timeIntervalSince(facts.customerSince) / 86_400)
        if days < self.minimumCustomerDays { reasons.append("customer_too_recent") }
        if facts.purchases < self.minimumPurchases { reasons.append("too_few_purchases") }
        if facts.overdueInstalments > self.maximumOverdueInstalments { reasons.append("overdue_instalments") }
        return reasons
    }
}
