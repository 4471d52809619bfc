import ConciergeCore
public import ConciergePostgres
import ConciergeRuntime

/// Reads account facts for a batch of customers: five queries per batch whatever its size.
public enum FactsStore {
    /// Facts of `customers`; a customer with no purchases maps to empty facts.
    public static func load(customers: [String], in transaction: PostgresTransaction) throws -> [String: CustomerFacts] {
        var purchases: [String: Purchase] = [:]
        for row in try transaction.query(
            """
            SELECT purchase_id, customer_id, merchant, order_reference, amount_minor, currency, purchased_on::text, status,
                   delivery_status
            FROM purchases WHERE customer_id = ANY($1::text[])
            """,
            [customers]
        ) {
            let id = try row.decode(String.self, at: 0)
            purchases[id] = Purchase(
                id: id, customerID: try row.decode(String.self, at: 1), merchant: try row.decode(String.self, at: 2),
                orderReference: try row.decode(String.self, at: 3),
                amount: Money(minorUnits: try row.decode(Int64.self, at: 4), currency: try Self.currency(row.decode(String.self, at: 5))),
                purchasedOn: try Self.date(row.decode(String.self, at: 6)), status: try row.decode(String.self, at: 7),
                deliveryStatus: try row.decode(String.self, at: 8)
            )
        }
        let ids = Array(purchases.keys)
        guard !ids.isEmpty else {
            return Dictionary(uniqueKeysWithValues: customers.map { ($0, CustomerFacts(customerID: $0, purchases: [])) })
        }
        var plans: [String: (purchase: String, plan: PaymentPlan)] = [:]
        for row in try transaction.query(
            "SELECT plan_id, purchase_id, kind FROM payment_plans WHERE purchase_id = ANY($1::text[])", [ids]
        ) {
            let id = try row.decode(String.self, at: 0)
            plans[id] = (try row.decode(String.self, at: 1), PaymentPlan(id: id, kind: try row.decode(String.self, at: 2), instalments: []))
        }
        for row in try transaction.query(
            """
            SELECT plan_id, sequence, due_on::text, amount_minor, currency, status, paid_on::text, late_fee_minor
            FROM instalments WHERE plan_id = ANY($1::text[]) ORDER BY plan_id, sequence
            """,
            [Array(plans.keys)]
        ) {
            let planID = try row.decode(String.self, at: 0)
            let currency = try Self.currency(row.decode(String.self, at: 4))
            let instalment = Instalment(
                planID: planID, sequence: try row.decode(Int.self, at: 1), dueOn: try Self.date(row.decode(String.self, at: 2)),
                amount: Money(minorUnits: try row.decode(Int64.self, at: 3), currency: currency),
                status: try row.decode(String.self, at: 5),
                paidOn: try row.decode(String?.self, at: 6).flatMap(CalendarDate.init(iso:)),
                lateFee: Money(minorUnits: try row.decode(Int64.self, at: 7), currency: currency)
            )
            plans[planID]?.plan.instalments.append(instalment)
        }
        for (_, entry) in plans { purchases[entry.purchase]?.plan = entry.plan }
        for row in try transaction.query(
            """
            SELECT payment_id, purchase_id, instalment_sequence, amount_minor, currency, method, status, failure_reason,
                   attempted_on::text
            FROM payments WHERE customer_id = ANY($1::text[]) ORDER BY attempted_on DESC, payment_id DESC
            """,
            [customers]
        ) {
            let purchaseID = try row.decode(String.self, at: 1)
            purchases[purchaseID]?.payments.append(
                Payment(
                    id: try row.decode(String.self, at: 0), purchaseID: purchaseID, instalmentSequence: try row.decode(Int?.self, at: 2),
                    amount: Money(minorUnits: try row.decode(Int64.self, at: 3), currency: try Self.currency(row.decode(String.self, at: 4))),
                    method: try row.decode(String.self, at: 5), status: try row.decode(String.self, at: 6),
                    failureReason: try row.decode(String?.self, at: 7), attemptedOn: try Self.date(row.decode(String.self, at: 8))
                )
            )
        }
        for row in try transaction.query(
            """
            SELECT refund_id, purchase_id, kind, amount_minor, currency, status, requested_on::text, expected_on::text,
                   completed_on::text
            FROM refunds WHERE customer_id = ANY($1::text[]) ORDER BY requested_on DESC, refund_id
            """,
            [customers]
        ) {
            let purchaseID = try row.decode(String.self, at: 1)
            purchases[purchaseID]?.refunds.append(
                Refund(
                    id: try row.decode(String.self, at: 0), purchaseID: purchaseID, kind: try row.decode(String.self, at: 2),
                    amount: Money(minorUnits: try row.decode(Int64.self, at: 3), currency: try Self.currency(row.decode(String.self, at: 4))),
                    status: try row.decode(String.self, at: 5), requestedOn: try Self.date(row.decode(String.self, at: 6)),
                    expectedOn: try row.decode(String?.self, at: 7).flatMap(CalendarDate.init(iso:)),
                    completedOn: try row.decode(String?.self, at: 8).flatMap(CalendarDate.init(iso:))
                )
            )
        }
        let byCustomer = Dictionary(grouping: purchases.values, by: \.customerID)
        return Dictionary(
            uniqueKeysWithValues: customers.map { ($0, CustomerFacts(customerID: $0, purchases: byCustomer[$0] ?? [])) }
        )
    }

    static func currency(_ code: String) throws -> Currency {
        do {
            return try Currency(code: code)
        } catch {
            throw HandlerError.rejected("unreadable_facts", "unsupported currency in the account facts")
        }
    }

    static func date(_ text: String) throws -> CalendarDate {
        guard let date = CalendarDate(iso: text) else {
            throw HandlerError.rejected("unreadable_facts", "a date in the account facts is not YYYY-MM-DD")
        }
        return date
    }
}
