import ConciergeCore
public import ConciergePostgres
import ConciergeRuntime

/// Reads account facts for a batch of customers: five queries per batch whatever its size, each keyed by the
/// customers only, so that all five go to the database in one round trip.
public enum FactsStore {
    /// Facts of `customers`; a customer with no purchases maps to empty facts.
    public static func load(customers: [String], in transaction: PostgresTransaction) throws -> [String: CustomerFacts]
    {
        try self.facts(customers: customers, from: transaction.queries(self.statements(customers: customers))[...])
    }

    /// The five queries ``facts(customers:from:)`` reads, in its order.
    public static func statements(customers: [String]) -> [PostgresStatement] {
        [
            PostgresStatement(
                """
                SELECT purchase_id, customer_id, merchant, order_reference, amount_minor, currency, purchased_on::text, status,
                       delivery_status, cancelled_on::text
                FROM purchases WHERE customer_id = ANY($1::text[])
                """,
                [customers]
            ),
            PostgresStatement(
                """
                SELECT pp.plan_id, pp.purchase_id, pp.kind
                FROM purchases p JOIN payment_plans pp ON pp.purchase_id = p.purchase_id
                WHERE p.customer_id = ANY($1::text[])
                """,
                [customers]
            ),
            PostgresStatement(
                """
                SELECT i.plan_id, i.sequence, i.due_on::text, i.amount_minor, i.currency, i.status, i.paid_on::text, i.late_fee_minor,
                       i.original_due_on::text
                FROM purchases p JOIN payment_plans pp ON pp.purchase_id = p.purchase_id JOIN instalments i ON i.plan_id = pp.plan_id
                WHERE p.customer_id = ANY($1::text[])
                ORDER BY i.plan_id, i.sequence
                """,
                [customers]
            ),
            PostgresStatement(
                """
                SELECT payment_id, purchase_id, instalment_sequence, amount_minor, currency, method, status, failure_reason,
                       attempted_on::text, next_retry_on::text
                FROM payments WHERE customer_id = ANY($1::text[]) ORDER BY attempted_on DESC, payment_id DESC
                """,
                [customers]
            ),
            PostgresStatement(
                """
                SELECT refund_id, purchase_id, kind, amount_minor, currency, status, requested_on::text, expected_on::text,
                       completed_on::text
                FROM refunds WHERE customer_id = ANY($1::text[]) ORDER BY requested_on DESC, refund_id
                """,
                [customers]
            ),
        ]
    }

    /// Builds the facts from the results of ``statements(customers:)``; columns are read by name.
    public static func facts(customers: [String], from results: ArraySlice<PostgresResult>) throws -> [String:
        CustomerFacts]
    {
        precondition(results.count == 5, "FactsStore.facts needs the five results of FactsStore.statements")
        let results = Array(results)
        func money(_ row: PostgresRow, _ amount: String = "amount_minor") throws -> Money {
            Money(
                minorUnits: try row.decode(Int64.self, named: amount),
                currency: try Self.currency(row.decode(named: "currency")))
        }
        func optionalDate(_ row: PostgresRow, _ column: String) throws -> CalendarDate? {
            try row.decode(String?.self, named: column).map(Self.date)
        }
        var purchases: [String: Purchase] = [:]
        for row in results[0] {
            let id: String = try row.decode(named: "purchase_id")
            purchases[id] = Purchase(
                id: id, customerID: try row.decode(named: "customer_id"), merchant: try row.decode(named: "merchant"),
                orderReference: try row.decode(named: "order_reference"), amount: try money(row),
                purchasedOn: try Self.date(row.decode(named: "purchased_on")), status: try row.decode(named: "status"),
                deliveryStatus: try row.decode(named: "delivery_status"),
                cancelledOn: try optionalDate(row, "cancelled_on")
            )
        }
        var plans: [String: (purchase: String, plan: PaymentPlan)] = [:]
        for row in results[1] {
            let id: String = try row.decode(named: "plan_id")
            plans[id] = (
                try row.decode(named: "purchase_id"),
                PaymentPlan(id: id, kind: try row.decode(named: "kind"), instalments: [])
            )
        }
        for row in results[2] {
            let planID: String = try row.decode(named: "plan_id")
            let amount = try money(row)
            let instalment = Instalment(
                planID: planID, sequence: try row.decode(named: "sequence"),
                dueOn: try Self.date(row.decode(named: "due_on")),
                amount: amount, status: try row.decode(named: "status"), paidOn: try optionalDate(row, "paid_on"),
                lateFee: Money(minorUnits: try row.decode(named: "late_fee_minor"), currency: amount.currency),
                originalDueOn: try optionalDate(row, "original_due_on")
            )
            plans[planID]?.plan.instalments.append(instalment)
        }
        for (_, entry) in plans { purchases[entry.purchase]?.plan = entry.plan }
        for row in results[3] {
            let purchaseID: String = try row.decode(named: "purchase_id")
            purchases[purchaseID]?.payments.append(
                Payment(
                    id: try row.decode(named: "payment_id"), purchaseID: purchaseID,
                    instalmentSequence: try row.decode(Int?.self, named: "instalment_sequence"), amount: try money(row),
                    method: try row.decode(named: "method"), status: try row.decode(named: "status"),
                    failureReason: try row.decode(String?.self, named: "failure_reason"),
                    attemptedOn: try Self.date(row.decode(named: "attempted_on")),
                    nextRetryOn: try optionalDate(row, "next_retry_on")
                )
            )
        }
        for row in results[4] {
            let purchaseID: String = try row.decode(named: "purchase_id")
            purchases[purchaseID]?.refunds.append(
                Refund(
                    id: try row.decode(named: "refund_id"), purchaseID: purchaseID, kind: try row.decode(named: "kind"),
                    amount: try money(row), status: try row.decode(named: "status"),
                    requestedOn: try Self.date(row.decode(named: "requested_on")),
                    expectedOn: try optionalDate(row, "expected_on"), completedOn: try optionalDate(row, "completed_on")
                )
            )
        }
        let byCustomer = Dictionary(grouping: purchases.values, by: \.customerID)
        var facts: [String: CustomerFacts] = [:]
        for customer in customers {
            facts[customer] = CustomerFacts(customerID: customer, purchases: byCustomer[customer] ?? [])
        }
        return facts
    }

    static func currency(_ code: String) throws -> Currency {
        do {
            return try Currency(code: code)
        } catch {
            throw HandlerError.rejected(.unreadableFacts, "unsupported currency in the account facts")
        }
    }

    static func date(_ text: String) throws -> CalendarDate {
        guard let date = CalendarDate(iso: text) else {
            throw HandlerError.rejected(.unreadableFacts, "a date in the account facts is not YYYY-MM-DD")
        }
        return date
    }
}
