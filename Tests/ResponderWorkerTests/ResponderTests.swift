import ConciergeCore
import ResponderWorker
import Testing

/// The built-in responder's templates and its handoff rules, without broker or database.
@Suite struct ResponderTests {
    let responder = ResponderFixtures.responder
    let zalando = ResponderFixtures.purchase(
        id: "p1", customer: "c", merchant: "Zalando", reference: "ZL-448812", amount: 14997, on: "2026-10-03")
    let zalandoAgain = ResponderFixtures.purchase(
        id: "p2", customer: "c", merchant: "Zalando", reference: "ZL-500100", amount: 8997, on: "2026-09-01")
    var single: CustomerFacts { CustomerFacts(customerID: "c", purchases: [self.zalando]) }
    var twoZalando: CustomerFacts { CustomerFacts(customerID: "c", purchases: [self.zalando, self.zalandoAgain]) }

    func reply(_ outcome: ResponderOutcome) -> ResponderOutcome.Reply? {
        if case .reply(let reply) = outcome { return reply }
        return nil
    }

    func handoffReason(_ outcome: ResponderOutcome) -> HandoffReason? {
        if case .handoff(let handoff) = outcome { return handoff.reason }
        return nil
    }

    @Test func paymentStatusStatesTheRealAmountsAndDates() throws {
        let routed = ResponderFixtures.routed(
            id: "i1", customer: "c", text: "did my payment go through?", intent: "payment_status")
        let reply = try #require(self.reply(self.responder.respond(to: routed, facts: self.single, history: .init())))
        #expect(reply.kind == "answer")
        #expect(
            reply.text
                == "Your payment of 49.99 EUR to Zalando (order ZL-448812) on 3 October 2026 was received. Your next instalment of 49.99 EUR is due on 3 November 2026."
        )
        #expect(reply.facts.map(\.kind) == ["purchase", "payment", "instalment"])
    }

    @Test func answersInGermanWithGermanMoneyAndDates() throws {
        let routed = ResponderFixtures.routed(
            id: "i1", customer: "c", text: "ist meine Zahlung angekommen?", intent: "payment_status", language: "de")
        let reply = try #require(self.reply(self.responder.respond(to: routed, facts: self.single, history: .init())))
        #expect(
            reply.text
                == "Deine Zahlung von 49,99 € an Zalando (Bestellung ZL-448812) am 3. Oktober 2026 ist bei uns eingegangen. Deine nächste Rate von 49,99 € ist am 3. November 2026 fällig."
        )
    }

    @Test func scheduleOverviewTotalsEveryOpenInstalment() throws {
        let routed = ResponderFixtures.routed(
            id: "i1", customer: "c", text: "what do I still owe?", intent: "payment_schedule_overview")
        let reply = try #require(
            self.reply(self.responder.respond(to: routed, facts: self.twoZalando, history: .init())))
        // 2 × 49.99 + 2 × 29.99 = 159.96
        #expect(reply.text.contains("Total still to pay: 159.96 EUR."))
        #expect(
            reply.text.contains(
                "• Zalando (order ZL-500100): 2 instalments left, 59.98 EUR in total; next 29.99 EUR on 1 October 2026."
            ))
    }

    @Test func twoMatchingPurchasesGetAClarifyingQuestionThenAHandoff() throws {
        let first = ResponderFixtures.routed(
            id: "i1", customer: "c", text: "did my Zalando payment go through", intent: "payment_status")
        let question = try #require(
            self.reply(self.responder.respond(to: first, facts: self.twoZalando, history: .init())))
        #expect(question.kind == "clarification")
        #expect(question.text.contains("ZL-448812") && question.text.contains("ZL-500100"))

        let history = ConversationHistory(replies: [
            .init(inquiryID: "i1", intent: "payment_status", kind: "clarification", text: question.text)
        ])
        let followUp = ResponderFixtures.routed(id: "i2", customer: "c", text: "the zalando one", intent: nil)
        #expect(
            self.handoffReason(self.responder.respond(to: followUp, facts: self.twoZalando, history: history))
                == .ambiguousFacts)

        let answered = ResponderFixtures.routed(id: "i3", customer: "c", text: "ZL-500100", intent: nil)
        let reply = try #require(
            self.reply(self.responder.respond(to: answered, facts: self.twoZalando, history: history)))
        #expect(reply.intent == "payment_status")
        #expect(reply.text.contains("29.99 EUR to Zalando (order ZL-500100) on 1 September 2026"))
    }

    @Test func howToQuestionsCiteTheirArticle() throws {
        let routed = ResponderFixtures.routed(
            id: "i1", customer: "c", text: "how can I change the card you take my payments from?",
            intent: "change_payment_method")
        let reply = try #require(self.reply(self.responder.respond(to: routed, facts: self.single, history: .init())))
        #expect(reply.articleID == "change-payment-method")
        #expect(reply.text.contains("(change-payment-method)"))
    }

    @Test(
        arguments: [
            // (text, intent, language, route, reason)
            ("did my payment go through", "payment_status", "en", Route.human, HandoffReason.misrouted),
            ("asdf qwerty", nil, "en", .ai, .unknownIntent),
            ("I want to close my account", "close_account", "en", .ai, .unknownIntent),
            ("was my Argos order paid", "payment_status", "en", .ai, .noFacts),
            ("why was I charged a late fee", "late_fee", "en", .ai, .noFacts),
            // German has a spending-limit article now: a German how-to question that matches no article is still handed off.
            ("xyzzy plugh", "spending_limit", "de", .ai, .lowRetrievalScore),
            ("xyzzy plugh", "spending_limit", "sv", .ai, .lowRetrievalScore),
            ("xyzzy plugh", "change_payment_method", "en", .ai, .lowRetrievalScore),
        ] as [(String, String?, String, Route, HandoffReason)])
    func handsOffWhenItCannotAnswer(
        text: String, intent: String?, language: String, route: Route, reason: HandoffReason
    ) {
        let routed = ResponderFixtures.routed(
            id: "i1", customer: "c", text: text, intent: intent, language: language, route: route)
        #expect(self.handoffReason(self.responder.respond(to: routed, facts: self.single, history: .init())) == reason)
    }

    @Test func noPurchasesAtAllIsNoFacts() {
        let routed = ResponderFixtures.routed(
            id: "i1", customer: "c", text: "did my payment go through", intent: "payment_status")
        #expect(
            self.handoffReason(
                self.responder.respond(to: routed, facts: .init(customerID: "c", purchases: []), history: .init()))
                == .noFacts)
    }

    @Test(arguments: [
        "that didn't help", "That's wrong!", "still not resolved", "Das stimmt nicht", "hat nicht geholfen",
    ])
    func aFollowUpSayingTheAnswerDidNotHelpIsHandedOff(text: String) {
        let history = ConversationHistory(replies: [
            .init(inquiryID: "i0", intent: "payment_status", kind: "answer", text: "Your payment …")
        ])
        let routed = ResponderFixtures.routed(id: "i1", customer: "c", text: text, intent: "payment_status")
        #expect(
            self.handoffReason(self.responder.respond(to: routed, facts: self.single, history: history)) == .notHelped)
    }

    @Test func dissatisfactionWithoutAnEarlierAIReplyIsAnsweredNormally() {
        let routed = ResponderFixtures.routed(
            id: "i1", customer: "c", text: "the app is wrong, did my payment go through?", intent: "payment_status")
        #expect(self.reply(self.responder.respond(to: routed, facts: self.single, history: .init())) != nil)
    }

    @Test func aConversationAlreadyWithAPersonStaysThere() {
        let routed = ResponderFixtures.routed(
            id: "i1", customer: "c", text: "did my payment go through", intent: "payment_status")
        #expect(
            self.handoffReason(self.responder.respond(to: routed, facts: self.single, history: .init(handedOff: true)))
                == .alreadyWithHuman)
    }

    @Test func aDuplicatedChargeNeedsAPerson() {
        var purchase = self.zalando
        purchase.payments.append(
            Payment(
                id: "dup", purchaseID: "p1", instalmentSequence: 1, amount: ResponderFixtures.eur(4999), method: "card",
                status: "succeeded", failureReason: nil, attemptedOn: purchase.purchasedOn)
        )
        let routed = ResponderFixtures.routed(
            id: "i1", customer: "c", text: "you charged me twice", intent: "wrong_amount_charged")
        let outcome = self.responder.respond(
            to: routed, facts: .init(customerID: "c", purchases: [purchase]), history: .init())
        #expect(self.handoffReason(outcome) == .needsInvestigation)
    }

    @Test func handoffSummaryCarriesIntentFactsAndTheLastAIReply() {
        let history = ConversationHistory(replies: [
            .init(inquiryID: "i0", intent: "payment_status", kind: "answer", text: "Your payment of 49.99 EUR …")
        ])
        let routed = ResponderFixtures.routed(
            id: "i1", customer: "c", text: "that didn't help", intent: "payment_status")
        guard case .handoff(let handoff) = self.responder.respond(to: routed, facts: self.single, history: history)
        else {
            Issue.record("expected a handoff")
            return
        }
        let summary = Responder.summary(routed: routed, handoff: handoff, facts: self.single, history: history)
        #expect(summary.reason == "not_helped")
        #expect(summary.summary.contains("Intent: payment_status"))
        #expect(summary.aiReply == "Your payment of 49.99 EUR …")
        #expect(summary.facts.map(\.id) == ["p1"])
    }
}
