import ConciergeCore
import ResponderWorker
import Testing

/// The answers added for #15, from the facts only: paying early (the exact amount that settles a purchase), moving a
/// due date (by the configured rules), cancelling an order (done, still possible, too late), a failed collection's
/// next retry; and the general form of those questions answered from the knowledge article.
@Suite struct MoreAnswersTests {
    /// Zalando, 149.97 EUR in three: 49.99 paid on 3 October, 49.99 due 3 November and 3 December.
    let zalando = ResponderFixtures.purchase(
        id: "p1", customer: "c", merchant: "Zalando", reference: "ZL-448812", amount: 14997, on: "2026-10-03")

    func answer(
        _ text: String, _ intent: String, _ purchases: [Purchase], language: String = "en",
        rules: DueDateRules = .init()
    )
        -> ResponderOutcome
    {
        let responder = Responder(
            catalog: ResponderFixtures.catalog, knowledge: ResponderFixtures.knowledge,
            languages: ResponderFixtures.languages,
            account: AccountAnswerer(dueDates: rules)
        )
        let routed = ResponderFixtures.routed(id: "i1", customer: "c", text: text, intent: intent, language: language)
        return responder.respond(
            to: routed, facts: CustomerFacts(customerID: "c", purchases: purchases), history: .init())
    }

    func text(_ outcome: ResponderOutcome) -> String? {
        if case .reply(let reply) = outcome, reply.kind == "answer" { return reply.text }
        return nil
    }

    @Test func payingEarlyStatesWhatSettlesThePurchaseInFullWithItsLateFees() throws {
        #expect(
            try #require(
                self.text(self.answer("how much to pay off the Zalando order now?", "pay_early", [self.zalando])))
                == "You can pay early at any time, at no extra cost. Your next instalment of 49.99 EUR for Zalando (order ZL-448812) is due on 3 November 2026; to settle the purchase in full today you pay 99.98 EUR (2 instalments left). In the app: Purchases → Zalando → Pay now."
        )
        var late = self.zalando
        late.plan?.instalments[1].status = "overdue"
        late.plan?.instalments[1].lateFee = ResponderFixtures.eur(500)
        let german = try #require(
            self.text(self.answer("Kann ich ZL-448812 ablösen?", "pay_early", [late], language: "de")))
        #expect(german.contains("zahlst du 104,98 €"), "\(german)")
        #expect(german.hasSuffix("Darin sind 5,00 € Mahngebühren enthalten."), "\(german)")
        var last = self.zalando
        last.plan?.instalments[1].status = "paid"
        let swedish = try #require(
            self.text(self.answer("Kan jag betala Zalando i förtid?", "pay_early", [last], language: "sv")))
        #expect(
            swedish.hasPrefix(
                "Din sista delbetalning på 49,99\u{00A0}€ för Zalando (beställning ZL-448812) förfaller den 3 december 2026."
            ), "\(swedish)")
    }

    @Test func aDueDateCanBeMovedOnceByTheConfiguredDaysButNotWhenOverdue() throws {
        #expect(
            try #require(
                self.text(
                    self.answer(
                        "can I move my Zalando payment?", "extend_due_date", [self.zalando],
                        rules: .init(maximumDays: 10))))
                == "Your instalment of 49.99 EUR for Zalando (order ZL-448812) is due on 3 November 2026. You can move it once, by up to 10 days: to 13 November 2026 at the latest. In the app: Purchases → Zalando → Move due date."
        )
        var moved = self.zalando
        moved.plan?.instalments[1].originalDueOn = ResponderFixtures.day("2026-10-27")
        let once = try #require(self.text(self.answer("can I move my Zalando payment?", "extend_due_date", [moved])))
        #expect(once.contains("already moved once, from 27 October 2026 to 3 November 2026"), "\(once)")
        var overdue = self.zalando
        overdue.plan?.instalments[1].status = "overdue"
        let swedish = try #require(
            self.text(
                self.answer("Kan jag flytta betalningen för Zalando?", "extend_due_date", [overdue], language: "sv")))
        #expect(swedish.contains("förföll den 3 november 2026 och är försenad"), "\(swedish)")
    }

    @Test func aCancelledOrderSaysWhenAndWhatWasRefundedAndAnotherWhetherItCanStillBe() throws {
        var cancelled = self.zalando
        cancelled.status = "cancelled"
        cancelled.cancelledOn = ResponderFixtures.day("2026-10-04")
        cancelled.refunds = [
            Refund(
                id: "r1", purchaseID: "p1", kind: "refund", amount: ResponderFixtures.eur(4999), status: "completed",
                requestedOn: ResponderFixtures.day("2026-10-04"), expectedOn: nil,
                completedOn: ResponderFixtures.day("2026-10-07")
            )
        ]
        let done = try #require(self.text(self.answer("cancel my Zalando order", "cancel_order", [cancelled])))
        #expect(
            done.hasPrefix(
                "Your order Zalando (order ZL-448812) was cancelled on 4 October 2026. Your refund from Zalando (order ZL-448812) was completed: 49.99 EUR was credited on 7 October 2026."
            ), "\(done)")
        // The same order asked about as not received: it was cancelled, not lost.
        let notReceived = try #require(
            self.text(self.answer("my Zalando order never came", "order_not_received", [cancelled])))
        #expect(notReceived == done)

        var preparing = self.zalando
        preparing.deliveryStatus = "processing"
        let possible = try #require(
            self.text(
                self.answer("Ich möchte die Zalando-Bestellung stornieren", "cancel_order", [preparing], language: "de")
            ))
        #expect(
            possible.hasPrefix(
                "Deine Bestellung Zalando (Bestellung ZL-448812) vom 3. Oktober 2026 ist noch nicht versandt"),
            "\(possible)")
        let shipped = try #require(self.text(self.answer("cancel ZL-448812", "cancel_order", [self.zalando])))
        #expect(
            shipped.hasPrefix(
                "Your order Zalando (order ZL-448812) has already shipped, so it can no longer be cancelled"),
            "\(shipped)")
    }

    @Test func aFailedCollectionSaysWhenItIsTriedAgain() throws {
        var failed = self.zalando
        failed.plan?.instalments[1].status = "failed"
        failed.payments.append(
            Payment(
                id: "pay2", purchaseID: "p1", instalmentSequence: 2, amount: ResponderFixtures.eur(4999),
                method: "card", status: "failed",
                failureReason: "card_expired", attemptedOn: ResponderFixtures.day("2026-11-03"),
                nextRetryOn: ResponderFixtures.day("2026-11-06")
            )
        )
        let text = try #require(self.text(self.answer("why did my Zalando payment fail", "payment_failed", [failed])))
        #expect(text.hasSuffix("We will try to collect it again automatically on 6 November 2026."), "\(text)")
    }

    @Test(arguments: [
        ("en", "Can I pay off my purchase early?", "How do I cancel order AS-999999?"),
        ("de", "Kann ich meinen Einkauf vorzeitig bezahlen?", "Wie storniere ich die Bestellung AS-999999?"),
        ("sv", "Kan jag betala mitt köp i förtid?", "Hur avbryter jag beställning AS-999999?"),
    ])
    func theGeneralQuestionIsAnsweredFromTheArticle(language: String, text: String, cancel: String) throws {
        guard case .reply(let reply) = self.answer(text, "pay_early", [self.zalando], language: language) else {
            Issue.record(
                "\(language): '\(text)' not answered: \(self.answer(text, "pay_early", [self.zalando], language: language))"
            )
            return
        }
        #expect(reply.articleID?.hasPrefix("pay-early") == true, "\(reply.articleID ?? "no article")")
        // An order the customer does not have: still the article, never another purchase's figures.
        guard case .reply(let other) = self.answer(cancel, "cancel_order", [self.zalando], language: language) else {
            Issue.record("\(language): not answered")
            return
        }
        #expect(other.articleID?.hasPrefix("cancel-an-order") == true, "\(other.articleID ?? "no article")")
    }
}
