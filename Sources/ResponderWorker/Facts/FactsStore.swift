import ConciergeCore
public import ConciergePostgres
import ConciergeRuntime

/// Reads account facts for a batch of customers: five queries per batch whatever its size, each keyed by the
/// customers only, so that all five go to the database in one round trip.
public enum FactsStore {
    /// Facts of `customers`; a customer with no purchases maps to empty facts.
    public static func load(customers: [String], in transaction: PostgresTransaction) throws -> [String: CustomerFacts] {
        try self.facts(customers: customers, from: transaction.queries(self.statements(customers: customers))[...])
    }

    /// The five queries ``facts(customers:from:)`` reads, in its order.
    public static func statements(customers: [String]) -> [PostgresStatement] {
        [
            PostgresStatement(
                """
                SELECT purchase_id, customer_id, merchant, order_reference, amount_minor, currency, purchased_on::text, status,
                       delivery_status
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
                SELECT i.plan_id, i.sequence, i.due_on::text, i.amount_minor, i.currency, i.status, i.paid_on::text, i.late_fee_minor
                FROM purchases p JOIN payment_plans pp ON pp.purchase_id = p.purchase_id JOIN instalments i ON i.plan_id = pp.plan_id
                WHERE p.customer_id = ANY($1::text[])
                ORDER BY i.plan_id, i.sequence
                """,
                [customers]
            ),
            PostgresStatement(
                """
                SELECT payment_id, purchase_id, instalment_sequence, amount_minor, currency, method, status, failure_reason,
                       attempted_on::text
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

    /// Builds the facts from the results of ``statements(customers:)``.
    public static func facts(customers: [String], from results: ArraySlice<PostgresResult>) throws -> [String: CustomerFacts] {
        precondition(results.count == 5, "FactsStore.facts needs the five results of FactsStore.statements")
        let results = Array(results)
        var purchases: [String: Purchase] = [:]
        for row in results[0] {
            let id = try row.decode(String.self, at: 0)
            purchases[id] = Purchase(
                id: id, customerID: try row.decode(String.self, at: 1), merchant: try row.decode(String.self, at: 2),
                orderReference: try row.decode(String.self, at: 3),
                amount: Money(minorUnits: try row.decode(Int64.self, at: 4), currency: try Self.currency(row.decode(String.self, at: 5))),
                purchasedOn: try Self.date(row.decode(String.self, at: 6)), status: try row.decode(String.self, at: 7),
                deliveryStatus: try row.decode(String.self, at: 8)
            )
        }
        var plans: [String: (purchase: String, plan: PaymentPlan)] = [:]
        for row in results[1] {
            let id = try row.decode(String.self, at: 0)
            plans[id] = (try row.decode(String.self, at: 1), PaymentPlan(id: id, kind: try row.decode(String.self, at: 2), instalments: []))
        }
        for row in results[2] {
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
        for row in results[3] {
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
        for row in results[4] {
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
