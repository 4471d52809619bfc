import ConciergeCore

/// The built-in responder's sentences: which `ReplyKey` to say for the facts at hand, and the facts that fill its
/// placeholders, formatted for the language. The words are the language's (`config/replies/<code>.yaml`).
struct ReplyPhrases: Sendable {
    let language: ReplyLanguage

    func money(_ value: Money) -> String { value.formatted(self.language) }
    func date(_ value: CalendarDate) -> String { value.formatted(self.language) }
    func say(_ key: ReplyKey, _ values: [String: String] = [:]) -> String { self.language.say(key, values) }

    /// "Zalando (order ZL-448812)".
    func purchase(_ p: Purchase) -> String {
        self.say(.purchase, ["shop": p.merchant, "order": p.orderReference])
    }

    func payment(_ payment: Payment, _ p: Purchase) -> String {
        var values = [
            "amount": self.money(payment.amount), "purchase": self.purchase(p), "date": self.date(payment.attemptedOn),
        ]
        switch payment.status {
        case "succeeded": return self.say(.paymentSucceeded, values)
        case "pending": return self.say(.paymentPending, values)
        case "failed":
            values["reason"] = self.failure(payment.failureReason)
            return self.say(.paymentFailed, values)
        default: return self.say(.paymentReversed, values)
        }
    }

    func failure(_ reason: String?) -> String {
        switch reason {
        case "insufficient_funds": self.say(.failureInsufficientFunds)
        case "card_expired": self.say(.failureCardExpired)
        case "authentication_required": self.say(.failureAuthenticationRequired)
        default: self.say(.failureOther)
        }
    }

    func next(_ instalment: Instalment, _ p: Purchase, named: Bool) -> String {
        var values = ["amount": self.money(instalment.amount), "date": self.date(instalment.dueOn)]
        if named { values["purchase"] = self.purchase(p) }
        switch (instalment.status, named) {
        case ("scheduled", true): return self.say(.nextScheduledFor, values)
        case ("scheduled", false): return self.say(.nextScheduled, values)
        case (_, true): return self.say(.nextOverdueFor, values)
        case (_, false): return self.say(.nextOverdue, values)
        }
    }

    /// A purchase with nothing left to pay: fully paid, or cancelled (with its refund).
    func fullyPaid(_ p: Purchase) -> String {
        if p.status == "cancelled" { return self.cancellation(p) }
        return self.say(.fullyPaid, ["purchase": self.purchase(p)])
    }

    func noOpenInstalments(count: Int) -> String {
        self.say(.noOpenInstalments, ["count": String(count)])
    }

    func scheduleHeader() -> String { self.say(.scheduleHeader) }

    func scheduleLine(_ p: Purchase) -> String {
        let open = p.openInstalments
        let remaining = Money(
            minorUnits: open.reduce(0) { $0 + $1.amount.minorUnits + $1.lateFee.minorUnits },
            currency: p.amount.currency)
        guard let next = open.first else { return "" }
        return self.say(
            open.count == 1 ? .scheduleLineOne : .scheduleLineOther,
            [
                "purchase": self.purchase(p), "count": String(open.count), "remaining": self.money(remaining),
                "amount": self.money(next.amount), "date": self.date(next.dueOn),
            ]
        )
    }

    func total(_ amounts: [Money]) -> String {
        self.say(.scheduleTotal, ["amounts": amounts.map(self.money).joined(separator: " \(self.say(.and)) ")])
    }

    func refund(_ refund: Refund, _ p: Purchase) -> String {
        let isReturn = refund.kind == "return"
        let amount = self.money(refund.amount)
        let purchase = self.purchase(p)
        let expected = refund.expectedOn.map(self.date) ?? self.say(.dateUnknown)
        let what =
            isReturn
            ? self.say(.refundWhatReturn, ["purchase": purchase])
            : self.say(.refundWhatRefund, ["amount": amount, "purchase": purchase])
        switch refund.status {
        case "completed":
            return self.say(
                isReturn ? .refundCompletedReturn : .refundCompletedRefund,
                ["purchase": purchase, "amount": amount, "date": self.date(refund.completedOn ?? refund.requestedOn)]
            )
        case "rejected": return self.say(.refundRejected, ["what": what, "shop": p.merchant])
        case "in_transit": return self.say(.refundInTransit, ["what": what, "amount": amount, "expected": expected])
        case "received_by_merchant", "processing":
            return self.say(
                isReturn ? .refundProcessingReturn : .refundProcessingRefund,
                ["shop": p.merchant, "amount": amount, "expected": expected])
        default:
            return self.say(
                .refundRegistered,
                ["what": what, "date": self.date(refund.requestedOn), "amount": amount, "expected": expected])
        }
    }

    func failedInstalment(_ instalment: Instalment, _ p: Purchase, payment: Payment?) -> String {
        var values = [
            "amount": self.money(instalment.amount), "purchase": self.purchase(p), "date": self.date(instalment.dueOn),
        ]
        guard let payment else { return self.say(.failedInstalment, values) }
        values["reason"] = self.failure(payment.failureReason)
        let failed = self.say(.failedInstalmentBecause, values)
        guard let retry = payment.nextRetryOn else { return failed }
        return failed + " " + self.say(.failedInstalmentRetry, ["date": self.date(retry)])
    }

    /// Paying early: the next instalment, and what settles the purchase today (open instalments and their late fees).
    func payEarly(_ p: Purchase) -> String {
        let open = p.openInstalments
        guard let next = open.first else { return self.fullyPaid(p) }
        let fees = open.reduce(Int64(0)) { $0 + $1.lateFee.minorUnits }
        let total = open.reduce(Int64(0)) { $0 + $1.amount.minorUnits } + fees
        let currency = p.amount.currency
        var text =
            open.count == 1
            ? self.say(
                .payEarlyLast,
                [
                    "amount": self.money(next.amount), "purchase": self.purchase(p), "date": self.date(next.dueOn),
                    "shop": p.merchant,
                ]
            )
            : self.say(
                .payEarlySettle,
                [
                    "amount": self.money(next.amount), "purchase": self.purchase(p), "date": self.date(next.dueOn),
                    "total": self.money(Money(minorUnits: total, currency: currency)), "count": String(open.count),
                    "shop": p.merchant,
                ]
            )
        if fees > 0 {
            text +=
                " " + self.say(.payEarlyFeesIncluded, ["fee": self.money(Money(minorUnits: fees, currency: currency))])
        }
        return text
    }

    /// Whether and until when the next open instalment's due date can be moved.
    func dueDateMove(_ p: Purchase, rules: DueDateRules) -> String {
        guard let next = p.nextInstalment else { return self.fullyPaid(p) }
        let values = ["amount": self.money(next.amount), "purchase": self.purchase(p), "date": self.date(next.dueOn)]
        if next.status != "scheduled" { return self.say(.dueDateOverdue, values) }
        if let original = next.originalDueOn {
            return self.say(.dueDateMovedOnce, values.merging(["original": self.date(original)]) { $1 })
        }
        return self.say(
            .dueDateCanMove,
            values.merging(
                [
                    "days": String(rules.maximumDays), "latest": self.date(next.dueOn.adding(days: rules.maximumDays)),
                    "shop": p.merchant,
                ]
            ) { $1 }
        )
    }

    /// A cancellation: done (and what was refunded), still possible, or too late.
    func cancellation(_ p: Purchase) -> String {
        if p.status == "cancelled" {
            let cancelled = self.say(
                .cancelCancelled, ["purchase": self.purchase(p), "date": self.date(p.cancelledOn ?? p.purchasedOn)])
            guard let refund = p.openRefunds.first ?? p.refunds.first else {
                return cancelled + " " + self.say(.cancelNothingPaid)
            }
            return cancelled + " " + self.refund(refund, p)
        }
        if p.deliveryStatus == "processing" {
            return self.say(
                .cancelPossible, ["purchase": self.purchase(p), "date": self.date(p.purchasedOn), "shop": p.merchant])
        }
        return self.say(.cancelShipped, ["purchase": self.purchase(p), "shop": p.merchant])
    }

    func lateFee(_ instalment: Instalment, _ p: Purchase) -> String {
        var values = [
            "fee": self.money(instalment.lateFee), "amount": self.money(instalment.amount),
            "purchase": self.purchase(p),
            "date": self.date(instalment.dueOn),
        ]
        guard let paid = instalment.paidOn else { return self.say(.lateFeeUnpaid, values) }
        values["paid_on"] = self.date(paid)
        return self.say(.lateFeePaid, values)
    }

    func delivery(_ p: Purchase) -> String {
        let day = self.date(p.purchasedOn)
        switch p.deliveryStatus {
        case "processing": return self.say(.deliveryProcessing, ["purchase": self.purchase(p), "date": day])
        case "shipped": return self.say(.deliveryShipped, ["shop": p.merchant, "order": p.orderReference, "date": day])
        default: return self.say(.deliveryLost, ["shop": p.merchant, "order": p.orderReference, "date": day])
        }
    }

    func chargesMatchPlan(_ p: Purchase, paid: [Payment]) -> String {
        let instalments = p.plan?.instalments ?? []
        let plan =
            Set(instalments.map(\.amount.minorUnits)).count == 1 && !instalments.isEmpty
            ? self.say(
                .chargesEqualInstalments,
                ["count": String(instalments.count), "amount": self.money(instalments[0].amount)])
            : instalments.map { self.money($0.amount) }.joined(separator: " + ")
        let charges = paid.sorted { $0.attemptedOn < $1.attemptedOn }
            .map { self.say(.chargesItem, ["amount": self.money($0.amount), "date": self.date($0.attemptedOn)]) }
            .joined(separator: ", ")
        return self.say(
            .chargesMatchPlan,
            [
                "purchase": self.purchase(p), "total": self.money(p.amount), "plan": plan,
                "charges": charges.isEmpty ? self.say(.chargesNoneYet) : charges,
            ]
        )
    }

    func clarify(_ candidates: [Purchase]) -> String {
        let lines = candidates.prefix(5).map { p in
            self.say(
                .clarifyLine,
                [
                    "shop": p.merchant, "order": p.orderReference, "amount": self.money(p.amount),
                    "date": self.date(p.purchasedOn),
                ])
        }.joined(separator: "\n")
        return self.say(.clarifyQuestion, ["lines": lines])
    }

    func article(_ hit: KnowledgeBase.Hit) -> String {
        var text = hit.article.lead
        if let section = hit.section { text += "\n\n\(section.heading): \(section.text)" }
        return self.say(.articleSource, ["text": text, "title": hit.article.title, "id": hit.article.id])
    }
}
