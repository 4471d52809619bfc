import ConciergeCore
public import ResponderWorker

/// Checks what the fleet did with a generated stream against its answer key (`DemoExpectation`) and the customers'
/// facts: every amount, date and order reference an AI answer states must be the customer's (of the purchase asked
/// about, when one was named), and the answer must state the values the question is about (the next instalment's
/// amount and due date, the refund's amount…). It also counts how the routine account questions ended, and whether
/// any case for a person reached the AI.
public struct DemoAnswerCheck: Sendable {
    /// What the fleet recorded for one inquiry.
    public struct Observed: Sendable, Hashable {
        public var route: String?
        public var routedIntent: String?
        public var replyKind: String?
        public var replyIntent: String?
        public var replyText: String?
        public var handoffReason: String?
        /// The conversation's outcome (`conversation_outcomes`): resolved, pending, repeat, handed_off, human…
        public var outcome: String?
        /// The inquiry is in `inquiries` (applied), how many times (1 at most: the inbox).
        public var applied: Int

        public init(
            route: String? = nil, routedIntent: String? = nil, replyKind: String? = nil, replyIntent: String? = nil,
            replyText: String? = nil, handoffReason: String? = nil, outcome: String? = nil, applied: Int = 0
        ) {
            self.route = route
            self.routedIntent = routedIntent
            self.replyKind = replyKind
            self.replyIntent = replyIntent
            self.replyText = replyText
            self.handoffReason = handoffReason
            self.outcome = outcome
            self.applied = applied
        }
    }

    /// An AI answer that states something the facts do not say, or leaves out what was asked.
    public struct WrongAnswer: Sendable, Hashable {
        public var messageID: String
        public var intent: String
        public var problem: String
        public var reply: String
    }

    public struct Summary: Sendable, Hashable {
        /// Routine account questions from customers who are not VIPs (new conversations).
        public var routine = 0
        public var routineRoutedToAI = 0
        public var routineAnswered = 0
        public var routineClarified = 0
        /// Routine questions the AI answered whose conversation ended resolved (or is pending: its window is open).
        public var routineResolved = 0
        public var routinePending = 0
        public var routineHandoffs: [String: Int] = [:]
        /// Answered as a different intent than the question's (the classifier misread it); their values are still
        /// checked against the facts.
        public var answeredAsOtherIntent = 0
        public var howto = 0
        public var howtoAnswered = 0
        public var vip = 0
        public var vipToAI = 0
        /// Cases for a person (sensitive intents, complaints, requests for a person) and where they went.
        public var forPerson = 0
        public var forPersonToAI: [String] = []
        public var checkedAnswers = 0
        public var wrong: [WrongAnswer] = []
        public var malformed = 0
        public var malformedApplied: [String] = []
        public var duplicatesAppliedTwice: [String] = []
        public var missing: [String] = []

        /// Resolved (or pending) routine account questions / all routine account questions.
        public var routineResolutionRate: Double {
            self.routine == 0 ? 0 : Double(self.routineResolved + self.routinePending) / Double(self.routine)
        }

        /// The demo's targets: no wrong answer, no case for a person (VIPs included) at the AI, nothing lost or
        /// applied twice.
        public var passed: Bool {
            self.wrong.isEmpty && self.forPersonToAI.isEmpty && self.vipToAI == 0 && self.malformedApplied.isEmpty
                && self.duplicatesAppliedTwice.isEmpty && self.missing.isEmpty
        }
    }

    /// The due-date rules the responder runs with (`responder.due_date.*`): a date it may state is a due date moved
    /// by the maximum.
    public var dueDates: DueDateRules

    /// The month names and currency words of the responder's reply languages (the shipped ones by default).
    public var vocabulary: StatedValueVocabulary

    public init(dueDates: DueDateRules = DueDateRules(), vocabulary: StatedValueVocabulary = .shipped) {
        self.dueDates = dueDates
        self.vocabulary = vocabulary
    }

    public func check(
        expectations: [DemoExpectation], observed: [String: Observed], facts: [String: CustomerFacts]
    ) -> Summary {
        var summary = Summary()
        for e in expectations {
            let seen = observed[e.messageID] ?? Observed()
            switch e.kind {
            case .malformed:
                summary.malformed += 1
                if seen.applied > 0 { summary.malformedApplied.append(e.messageID) }
                continue
            case .duplicate:
                if seen.applied > 1 { summary.duplicatesAppliedTwice.append(e.messageID) }
                continue
            default:
                if seen.applied == 0 || seen.route == nil { summary.missing.append(e.messageID) }
            }
            if e.vip {
                summary.vip += 1
                if seen.route == "ai" { summary.vipToAI += 1 }
            }
            switch e.kind {
            case .account where !e.vip:
                summary.routine += 1
                if seen.route == "ai" { summary.routineRoutedToAI += 1 }
                if seen.replyKind == "answer" { summary.routineAnswered += 1 }
                if seen.replyKind == "clarification" { summary.routineClarified += 1 }
                if let reason = seen.handoffReason { summary.routineHandoffs[reason, default: 0] += 1 }
                if seen.outcome == "resolved" { summary.routineResolved += 1 }
                if seen.outcome == "pending" { summary.routinePending += 1 }
            case .howto where !e.vip:
                summary.howto += 1
                if seen.replyKind == "answer" { summary.howtoAnswered += 1 }
            case .human:
                summary.forPerson += 1
                if seen.route == "ai" { summary.forPersonToAI.append(e.messageID) }
            default: break
            }
            guard seen.replyKind == "answer", let text = seen.replyText, let intent = e.intent,
                [.account, .followUp, .repeatInquiry].contains(e.kind)
            else { continue }
            if let replyIntent = seen.replyIntent, replyIntent != intent, e.kind == .account {
                summary.answeredAsOtherIntent += 1
            }
            let all = facts[e.customerID]?.purchases ?? []
            let target = e.purchaseID.flatMap { id in all.first { $0.id == id } }
            summary.checkedAnswers += 1
            if let problem = self.problem(
                in: text, intent: seen.replyIntent ?? intent, asked: intent, target: target, all: all)
            {
                summary.wrong.append(WrongAnswer(messageID: e.messageID, intent: intent, problem: problem, reply: text))
            }
        }
        return summary
    }

    /// Why `text` is a wrong answer, or nil when it is right.
    func problem(in text: String, intent: String, asked: String, target: Purchase?, all: [Purchase]) -> String? {
        let scope = target.map { [$0] } ?? all
        let ungrounded = GroundingGuard(sources: self.sources(scope), vocabulary: self.vocabulary).ungrounded(in: text)
        if !ungrounded.isEmpty {
            let of = target.map { "purchase \($0.id)" } ?? "the customer's purchases"
            return "states \(ungrounded.count) value(s) not in the facts of \(of): \(ungrounded)"
        }
        guard intent == asked, let target else { return nil }
        let stated = GroundingGuard(sources: [text], vocabulary: self.vocabulary)
        for (what, value) in self.keyValues(intent, target) where !stated.ungrounded(in: value).isEmpty {
            return "does not state \(what) (\(value))"
        }
        return nil
    }

    /// Every value the facts of `purchases` hold, written plainly (`EUR 12.30`, `2026-12-01`, `ZL-448812`), plus
    /// what an answer may derive from them: what is left to pay per purchase and in all, per currency, and the latest
    /// date a due date can be moved to.
    func sources(_ purchases: [Purchase]) -> [String] {
        var lines: [String] = []
        var open: [String: Int64] = [:]
        func amount(_ money: Money) -> String { "\(money.currency.code) \(money.decimalString)" }
        for p in purchases {
            lines +=
                [p.orderReference, amount(p.amount), p.purchasedOn.description]
                + (p.cancelledOn.map { [$0.description] } ?? [])
            for i in p.plan?.instalments ?? [] {
                lines += [
                    amount(i.amount), i.dueOn.description, i.dueOn.adding(days: self.dueDates.maximumDays).description,
                ]
                lines += [i.paidOn, i.originalDueOn].compactMap { $0?.description }
                if i.lateFee.minorUnits > 0 { lines.append(amount(i.lateFee)) }
            }
            let fees = p.openInstalments.reduce(Int64(0)) { $0 + $1.lateFee.minorUnits }
            if fees > 0 { lines.append(amount(Money(minorUnits: fees, currency: p.amount.currency))) }
            for payment in p.payments {
                lines +=
                    [amount(payment.amount), payment.attemptedOn.description]
                    + (payment.nextRetryOn.map { [$0.description] } ?? [])
            }
            for r in p.refunds {
                lines += [amount(r.amount), r.requestedOn.description]
                lines += [r.expectedOn, r.completedOn].compactMap { $0?.description }
            }
            let left = p.openInstalments.reduce(Int64(0)) { $0 + $1.amount.minorUnits + $1.lateFee.minorUnits }
            lines.append(amount(Money(minorUnits: left, currency: p.amount.currency)))
            open[p.amount.currency.code, default: 0] += left
        }
        for (code, minor) in open {
            if let currency = try? Currency(code: code) {
                lines.append(amount(Money(minorUnits: minor, currency: currency)))
            }
        }
        return lines
    }

    /// What an answer to `intent` about `p` must state.
    func keyValues(_ intent: String, _ p: Purchase) -> [(String, String)] {
        func amount(_ money: Money) -> String { "\(money.currency.code) \(money.decimalString)" }
        switch intent {
        case "payment_status":
            return p.latestPayment.map { [("the latest payment's amount", amount($0.amount))] } ?? []
        case "next_instalment":
            return p.nextInstalment.map {
                [("the next instalment's amount", amount($0.amount)), ("its due date", $0.dueOn.description)]
            } ?? []
        case "refund_status":
            return (p.openRefunds.first ?? p.refunds.first).map { [("the refund's amount", amount($0.amount))] } ?? []
        case "payment_failed":
            guard let failed = p.openInstalments.first(where: { $0.status != "scheduled" }) else { return [] }
            let retry = p.payments.first { $0.instalmentSequence == failed.sequence && $0.status == "failed" }?
                .nextRetryOn
            return [
                ("the failed instalment's amount", amount(failed.amount)), ("its due date", failed.dueOn.description),
            ]
                + (retry.map { [("the next retry", $0.description)] } ?? [])
        case "pay_early":
            let open = p.openInstalments
            guard let next = open.first else { return [] }
            let total = open.reduce(Int64(0)) { $0 + $1.amount.minorUnits + $1.lateFee.minorUnits }
            return [("the next instalment's amount", amount(next.amount)), ("its due date", next.dueOn.description)]
                + (open.count > 1
                    ? [
                        (
                            "the amount that settles it in full",
                            amount(Money(minorUnits: total, currency: p.amount.currency))
                        )
                    ] : [])
        case "extend_due_date":
            guard let next = p.nextInstalment else { return [] }
            let movable = next.status == "scheduled" && next.originalDueOn == nil
            return [("the due date", next.dueOn.description)]
                + (movable
                    ? [
                        (
                            "the latest date it can move to",
                            next.dueOn.adding(days: self.dueDates.maximumDays).description
                        )
                    ] : [])
        case "cancel_order":
            return p.cancelledOn.map { [("the cancellation date", $0.description)] } ?? []
        case "late_fee":
            return (p.plan?.instalments.first { $0.lateFee.minorUnits > 0 }).map {
                [("the late fee", amount($0.lateFee))]
            } ?? []
        case "order_not_received":
            return [
                p.cancelledOn.map { ("the cancellation date", $0.description) } ?? (
                    "the order date", p.purchasedOn.description
                )
            ]
        default:
            return []
        }
    }
}
