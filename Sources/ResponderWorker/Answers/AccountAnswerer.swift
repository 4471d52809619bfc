public import ConciergeCore

/// Answers account questions from the customer's facts with the built-in templates, or says why it cannot.
///
/// For each intent it picks the relevant purchases: those the text mentions (order reference, shop, amount), else
/// the ones the intent is about (the latest payment, open instalments, open refunds, failed collections…). One
/// purchase → an answer; several where only one can be meant → a clarifying question; none → a handoff.
public struct AccountAnswerer: Sendable {
    /// Intents this answerer handles.
    public static let intents: Set<String> = [
        "payment_status", "next_instalment", "refund_status", "payment_failed", "late_fee", "order_not_received",
        "wrong_amount_charged", "payment_schedule_overview", "pay_early", "extend_due_date", "cancel_order",
    ]

    /// Intents that are how-to questions until the customer names a purchase: answered from the facts about the named
    /// purchase, else (no purchase named, or one not on record) `.general`: the responder answers from the knowledge
    /// article.
    public static let generalUnlessNamed: Set<String> = ["pay_early", "extend_due_date", "cancel_order"]

    public var matcher: PurchaseMatcher
    public var dueDates: DueDateRules

    public init(matcher: PurchaseMatcher = PurchaseMatcher(), dueDates: DueDateRules = DueDateRules()) {
        self.matcher = matcher
        self.dueDates = dueDates
    }

    /// The outcome of an account question.
    public enum Answer: Sendable, Hashable {
        case answer(String, facts: [HandoffSummary.Fact])
        case clarify([Purchase])
        case handoff(HandoffReason, detail: String, facts: [HandoffSummary.Fact])
        /// A general question (it names no purchase) about an intent in `generalUnlessNamed`.
        case general
    }

    public func answer(intent: String, text: String, facts: CustomerFacts, language: ReplyLanguage) -> Answer {
        let say = ReplyPhrases(language: language)
        let all = facts.purchases
        let mention = self.matcher.mention(in: text, purchases: all)
        // A general question, or one about a purchase not on record: the how-to article, which states no facts.
        if Self.generalUnlessNamed.contains(intent), mention == .none || mention == .matched([]) { return .general }
        guard !all.isEmpty else {
            return .handoff(.noFacts, detail: "the customer has no purchases on record", facts: [])
        }
        let mentioned: [Purchase]?
        switch mention {
        case .none: mentioned = nil
        case .matched(let found) where found.isEmpty:
            return .handoff(
                .noFacts, detail: "the purchase the customer mentions matches none of their \(all.count) purchases",
                facts: all.map(\.fact)
            )
        case .matched(let found): mentioned = found
        }

        /// One purchase from the candidates, or a clarification / handoff.
        func single(_ candidates: [Purchase], _ what: String, body: (Purchase) -> Answer) -> Answer {
            switch candidates.count {
            case 0:
                return .handoff(
                    .noFacts, detail: "no \(what) among the \(mentioned == nil ? "customer's" : "mentioned") purchases",
                    facts: (mentioned ?? all).map(\.fact))
            case 1: return body(candidates[0])
            default: return .clarify(candidates)
            }
        }

        switch intent {
        case "payment_status":
            if let mentioned {
                return single(
                    mentioned.filter { !$0.payments.isEmpty || $0.nextInstalment != nil }, "payment or instalment"
                ) { p in
                    self.paymentStatus(p, say)
                }
            }
            let paid = all.filter { $0.latestPayment != nil }
            guard
                let latest = paid.max(by: {
                    ($0.latestPayment!.attemptedOn, $0.latestPayment!.id) < (
                        $1.latestPayment!.attemptedOn, $1.latestPayment!.id
                    )
                })
            else {
                return .handoff(.noFacts, detail: "no payments on record", facts: all.map(\.fact))
            }
            let day = latest.latestPayment!.attemptedOn
            let sameDay = paid.filter { $0.latestPayment!.attemptedOn == day }
            return sameDay.count > 1 ? .clarify(sameDay) : self.paymentStatus(latest, say)

        case "next_instalment":
            let open = (mentioned ?? all).filter { $0.nextInstalment != nil }
            if let mentioned, mentioned.count == 1, open.isEmpty {
                return .answer(say.fullyPaid(mentioned[0]), facts: [mentioned[0].fact])
            }
            if mentioned != nil && open.count > 1 { return .clarify(open) }
            guard !open.isEmpty else {
                return .answer(say.noOpenInstalments(count: all.count), facts: all.map(\.fact))
            }
            let sorted = open.sorted { $0.nextInstalment!.dueOn < $1.nextInstalment!.dueOn }
            let lines = sorted.prefix(5).map { say.next($0.nextInstalment!, $0, named: true) }
            return .answer(
                lines.joined(separator: "\n"), facts: sorted.prefix(5).flatMap { [$0.fact, $0.nextInstalment!.fact] })

        case "payment_schedule_overview":
            let open = (mentioned ?? all).filter { $0.nextInstalment != nil }.sorted {
                $0.nextInstalment!.dueOn < $1.nextInstalment!.dueOn
            }
            guard !open.isEmpty else {
                return .answer(
                    say.noOpenInstalments(count: (mentioned ?? all).count), facts: (mentioned ?? all).map(\.fact))
            }
            var totals: [Currency: Int64] = [:]
            for p in open {
                totals[p.amount.currency, default: 0] += p.openInstalments.reduce(0) {
                    $0 + $1.amount.minorUnits + $1.lateFee.minorUnits
                }
            }
            let text =
                ([say.scheduleHeader()] + open.map(say.scheduleLine)
                + [say.total(totals.keys.sorted().map { Money(minorUnits: totals[$0]!, currency: $0) })]).joined(
                    separator: "\n")
            return .answer(text, facts: open.flatMap { [$0.fact] + $0.openInstalments.map(\.fact) })

        case "refund_status":
            let withRefunds = (mentioned ?? all).filter { !$0.refunds.isEmpty }
            let candidates =
                mentioned != nil
                ? withRefunds
                : (withRefunds.filter { !$0.openRefunds.isEmpty }.isEmpty
                    ? withRefunds : withRefunds.filter { !$0.openRefunds.isEmpty })
            return single(candidates, "refund or return") { p in
                let refund = p.openRefunds.first ?? p.refunds[0]
                return .answer(say.refund(refund, p), facts: [p.fact, refund.fact])
            }

        case "payment_failed":
            let failing = (mentioned ?? all).filter { $0.openInstalments.contains { $0.status != "scheduled" } }
            return single(failing, "failed or overdue instalment") { p in
                let instalment = p.openInstalments.first { $0.status != "scheduled" }!
                let payment = p.payments.first { $0.instalmentSequence == instalment.sequence && $0.status == "failed" }
                return .answer(
                    say.failedInstalment(instalment, p, payment: payment),
                    facts: [p.fact, instalment.fact] + (payment.map { [$0.fact] } ?? [])
                )
            }

        case "late_fee":
            let withFees = (mentioned ?? all).filter { p in
                p.plan?.instalments.contains { $0.lateFee.minorUnits > 0 } == true
            }
            guard !withFees.isEmpty else {
                return .handoff(.noFacts, detail: "no late fee on record", facts: (mentioned ?? all).map(\.fact))
            }
            if mentioned != nil && withFees.count > 1 { return .clarify(withFees) }
            let items = withFees.flatMap { p in
                (p.plan?.instalments ?? []).filter { $0.lateFee.minorUnits > 0 }.map { (p, $0) }
            }
            return .answer(
                items.map { say.lateFee($0.1, $0.0) }.joined(separator: "\n"),
                facts: items.flatMap { [$0.0.fact, $0.1.fact] }
            )

        case "pay_early":
            let scope = mentioned ?? all
            if scope.count == 1 {
                return .answer(say.payEarly(scope[0]), facts: [scope[0].fact] + scope[0].openInstalments.map(\.fact))
            }
            return single(scope.filter { !$0.openInstalments.isEmpty }, "purchase with instalments left") { p in
                .answer(say.payEarly(p), facts: [p.fact] + p.openInstalments.map(\.fact))
            }

        case "extend_due_date":
            let scope = mentioned ?? all
            if scope.count == 1 {
                return .answer(
                    say.dueDateMove(scope[0], rules: self.dueDates),
                    facts: [scope[0].fact] + scope[0].openInstalments.prefix(1).map(\.fact))
            }
            return single(scope.filter { $0.nextInstalment != nil }, "purchase with instalments left") { p in
                .answer(
                    say.dueDateMove(p, rules: self.dueDates), facts: [p.fact] + p.openInstalments.prefix(1).map(\.fact))
            }

        case "cancel_order":
            return single(mentioned ?? all, "purchase") { p in
                .answer(say.cancellation(p), facts: [p.fact] + p.refunds.map(\.fact))
            }

        case "order_not_received":
            let undelivered = (mentioned ?? all).filter { $0.deliveryStatus != "delivered" || $0.status == "cancelled" }
            if undelivered.isEmpty, let mentioned, mentioned.count == 1 {
                return .handoff(
                    .needsInvestigation, detail: "the shop reports this order as delivered", facts: [mentioned[0].fact])
            }
            return single(undelivered, "undelivered order") { p in
                p.status == "cancelled"
                    ? .answer(say.cancellation(p), facts: [p.fact] + p.refunds.map(\.fact))
                    : .answer(say.delivery(p), facts: [p.fact])
            }

        case "wrong_amount_charged":
            let scope = mentioned ?? all
            let suspicious = scope.filter(Self.hasChargeDiscrepancy)
            if !suspicious.isEmpty {
                return .handoff(
                    .needsInvestigation, detail: "payments that do not match the plan (duplicate or different amount)",
                    facts: suspicious.flatMap { [$0.fact] + $0.payments.map(\.fact) }
                )
            }
            let charged = scope.filter { !$0.payments.isEmpty }
            return single(charged, "charges") { p in
                let paid = p.payments.filter { $0.status == "succeeded" || $0.status == "pending" }
                return .answer(say.chargesMatchPlan(p, paid: paid), facts: [p.fact] + paid.map(\.fact))
            }

        default:
            return .handoff(.unknownIntent, detail: "no account template for intent \(intent)", facts: [])
        }
    }

    func paymentStatus(_ p: Purchase, _ say: ReplyPhrases) -> Answer {
        var sentences: [String] = []
        var facts = [p.fact]
        if let payment = p.latestPayment {
            sentences.append(say.payment(payment, p))
            facts.append(payment.fact)
        }
        if let next = p.nextInstalment {
            sentences.append(say.next(next, p, named: p.latestPayment == nil))
            facts.append(next.fact)
        } else if p.status == "paid_off" {
            sentences.append(say.fullyPaid(p))
        }
        return .answer(sentences.joined(separator: " "), facts: facts)
    }

    /// Two succeeded payments for one instalment, or a succeeded payment whose amount differs from its instalment.
    static func hasChargeDiscrepancy(_ p: Purchase) -> Bool {
        let succeeded = p.payments.filter { $0.status == "succeeded" }
        var seen = Set<Int>()
        for payment in succeeded {
            guard let sequence = payment.instalmentSequence else { continue }
            if !seen.insert(sequence).inserted { return true }
            if let instalment = p.plan?.instalments.first(where: { $0.sequence == sequence }),
                instalment.amount != payment.amount
            {
                return true
            }
        }
        return false
    }
}
