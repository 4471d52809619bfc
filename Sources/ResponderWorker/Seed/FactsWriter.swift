import ConciergeCore
public import ConciergePostgres

/// Writes purchases with their plans, instalments, payments and refunds (the demo seed and tests). Existing rows
/// are left alone (`ON CONFLICT DO NOTHING`), so seeding twice is harmless.
public enum FactsWriter {
    /// Inserts the purchases; returns how many purchases were new.
    @discardableResult
    public static func insert(_ purchases: [Purchase], in transaction: PostgresTransaction) throws -> Int {
        var p = (
            ids: [String](), customers: [String](), merchants: [String](), references: [String](), amounts: [Int64](),
            currencies: [String](), dates: [String](), statuses: [String](), deliveries: [String](),
            cancelled: [String?]()
        )
        var plans = (ids: [String](), purchases: [String](), kinds: [String](), counts: [Int](), currencies: [String]())
        var inst = (
            plans: [String](), sequences: [Int](), due: [String](), amounts: [Int64](), currencies: [String](),
            statuses: [String](), paid: [String?](), fees: [Int64](), original: [String?]()
        )
        var pay = (
            ids: [String](), customers: [String](), purchases: [String](), sequences: [Int?](), amounts: [Int64](),
            currencies: [String](), methods: [String](), statuses: [String](), reasons: [String?](), dates: [String](),
            retries: [String?]()
        )
        var ref = (
            ids: [String](), customers: [String](), purchases: [String](), kinds: [String](), amounts: [Int64](),
            currencies: [String](), statuses: [String](), requested: [String](), expected: [String?](),
            completed: [String?]()
        )
        for purchase in purchases {
            p.ids.append(purchase.id)
            p.customers.append(purchase.customerID)
            p.merchants.append(purchase.merchant)
            p.references.append(purchase.orderReference)
            p.amounts.append(purchase.amount.minorUnits)
            p.currencies.append(purchase.amount.currency.code)
            p.dates.append(purchase.purchasedOn.description)
            p.statuses.append(purchase.status)
            p.deliveries.append(purchase.deliveryStatus)
            p.cancelled.append(purchase.cancelledOn?.description)
            if let plan = purchase.plan {
                plans.ids.append(plan.id)
                plans.purchases.append(purchase.id)
                plans.kinds.append(plan.kind)
                plans.counts.append(plan.instalments.count)
                plans.currencies.append(purchase.amount.currency.code)
                for i in plan.instalments {
                    inst.plans.append(plan.id)
                    inst.sequences.append(i.sequence)
                    inst.due.append(i.dueOn.description)
                    inst.amounts.append(i.amount.minorUnits)
                    inst.currencies.append(i.amount.currency.code)
                    inst.statuses.append(i.status)
                    inst.paid.append(i.paidOn?.description)
                    inst.fees.append(i.lateFee.minorUnits)
                    inst.original.append(i.originalDueOn?.description)
                }
            }
            for payment in purchase.payments {
                pay.ids.append(payment.id)
                pay.customers.append(purchase.customerID)
                pay.purchases.append(purchase.id)
                pay.sequences.append(payment.instalmentSequence)
                pay.amounts.append(payment.amount.minorUnits)
                pay.currencies.append(payment.amount.currency.code)
                pay.methods.append(payment.method)
                pay.statuses.append(payment.status)
                pay.reasons.append(payment.failureReason)
                pay.dates.append(payment.attemptedOn.description)
                pay.retries.append(payment.nextRetryOn?.description)
            }
            for refund in purchase.refunds {
                ref.ids.append(refund.id)
                ref.customers.append(purchase.customerID)
                ref.purchases.append(purchase.id)
                ref.kinds.append(refund.kind)
                ref.amounts.append(refund.amount.minorUnits)
                ref.currencies.append(refund.amount.currency.code)
                ref.statuses.append(refund.status)
                ref.requested.append(refund.requestedOn.description)
                ref.expected.append(refund.expectedOn?.description)
                ref.completed.append(refund.completedOn?.description)
            }
        }
        let inserted = try transaction.execute(
            """
            INSERT INTO purchases (purchase_id, customer_id, merchant, order_reference, amount_minor, currency, purchased_on,
                                   status, delivery_status, cancelled_on)
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::date[],
                                 $8::text[], $9::text[], $10::date[])
            ON CONFLICT (purchase_id) DO NOTHING
            """,
            [
                p.ids, p.customers, p.merchants, p.references, p.amounts, p.currencies, p.dates, p.statuses,
                p.deliveries, p.cancelled,
            ]
        )
        try transaction.execute(
            """
            INSERT INTO payment_plans (plan_id, purchase_id, kind, instalment_count, currency)
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[])
            ON CONFLICT (plan_id) DO NOTHING
            """,
            [plans.ids, plans.purchases, plans.kinds, plans.counts, plans.currencies]
        )
        try transaction.execute(
            """
            INSERT INTO instalments (plan_id, sequence, due_on, amount_minor, currency, status, paid_on, late_fee_minor,
                                     original_due_on)
            SELECT * FROM unnest($1::text[], $2::int[], $3::date[], $4::bigint[], $5::text[], $6::text[], $7::date[], $8::bigint[],
                                 $9::date[])
            ON CONFLICT (plan_id, sequence) DO NOTHING
            """,
            [
                inst.plans, inst.sequences, inst.due, inst.amounts, inst.currencies, inst.statuses, inst.paid,
                inst.fees, inst.original,
            ]
        )
        try transaction.execute(
            """
            INSERT INTO payments (payment_id, customer_id, purchase_id, instalment_sequence, amount_minor, currency, method,
                                  status, failure_reason, attempted_on, next_retry_on)
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::bigint[], $6::text[], $7::text[],
                                 $8::text[], $9::text[], $10::date[], $11::date[])
            ON CONFLICT (payment_id) DO NOTHING
            """,
            [
                pay.ids, pay.customers, pay.purchases, pay.sequences, pay.amounts, pay.currencies, pay.methods,
                pay.statuses,
                pay.reasons, pay.dates, pay.retries,
            ]
        )
        try transaction.execute(
            """
            INSERT INTO refunds (refund_id, customer_id, purchase_id, kind, amount_minor, currency, status, requested_on,
                                 expected_on, completed_on)
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::text[],
                                 $8::date[], $9::date[], $10::date[])
            ON CONFLICT (refund_id) DO NOTHING
            """,
            [
                ref.ids, ref.customers, ref.purchases, ref.kinds, ref.amounts, ref.currencies, ref.statuses,
                ref.requested,
                ref.expected, ref.completed,
            ]
        )
        return inserted
    }
}
